//! Bad input: one line per broken file naming it, the rest still indexed, exit 2.

use crate::util::{TestEnv, fixture};

#[test]
fn broken_files_are_reported_and_the_rest_is_indexed() {
    let env = TestEnv::new();
    let empty_folder = env.path().join("nothing-here");
    std::fs::create_dir(&empty_folder).unwrap();
    std::fs::write(empty_folder.join("notes.png"), b"\x89PNG").unwrap();
    let latin1 = fixture("errors/latin1.txt");
    let empty = fixture("errors/empty.txt");
    let good = fixture("errors/good.txt");
    let run = env.index_paths(&[&latin1, &empty, &empty_folder, &good]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let errors: Vec<&str> = run.stderr.lines().filter(|l| !l.contains(" added,")).collect();
    assert_eq!(errors.len(), 3, "{}", run.stderr);
    assert!(errors.iter().any(|l| l.contains("latin1.txt:3:") && l.contains("UTF-8")), "{errors:?}");
    assert!(errors.iter().any(|l| l.contains("empty.txt:1:") && l.contains("empty")), "{errors:?}");
    assert!(errors.iter().any(|l| l.contains("nothing-here") && l.contains("no transcript")), "{errors:?}");
    assert!(run.stderr.contains("1 added") && run.stderr.contains("3 failed"), "{}", run.stderr);
    let found = env.search_json("orchestration", &[]);
    assert_eq!(found.code, 0);
    assert_eq!(found.json_lines().len(), 2);
}

#[test]
fn a_huge_single_line_file_is_refused_with_its_line_and_the_rest_is_indexed() {
    let env = TestEnv::new();
    let folder = env.path().join("batch");
    std::fs::create_dir(&folder).unwrap();
    let mut huge = String::from("A title line\n\n");
    huge.push_str(&"word ".repeat(10 << 20)); // 50 MiB on one line
    std::fs::write(folder.join("huge.txt"), huge).unwrap();
    std::fs::copy(fixture("errors/good.txt"), folder.join("good.txt")).unwrap();
    std::fs::write(folder.join("notes.png"), b"\x89PNG").unwrap();
    std::fs::write(folder.join(".hidden.txt"), "hidden").unwrap();
    let run = env.index_paths(&[&folder]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let errors: Vec<&str> = run.stderr.lines().filter(|l| !l.contains(" added,")).collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(errors[0].contains("huge.txt:3:") && errors[0].contains("limit"), "{}", errors[0]);
    assert!(run.stderr.contains("1 added") && run.stderr.contains("2 skipped"), "{}", run.stderr);
    assert_eq!(env.search_json("orchestration", &[]).code, 0);
}

#[test]
fn broken_files_of_every_format_name_their_line() {
    let env = TestEnv::new();
    let cases = [
        ("vtt/broken_timing.vtt", "broken_timing.vtt:"),
        ("srt/broken_timing.srt", "broken_timing.srt:"),
        ("json/truncated.json", "truncated.json:"),
        ("tsv/bad_row.tsv", "bad_row.tsv:"),
    ];
    let paths: Vec<std::path::PathBuf> = cases.iter().map(|(f, _)| fixture(f)).collect();
    let mut args: Vec<&std::path::Path> = paths.iter().map(|p| p.as_path()).collect();
    let good = fixture("errors/good.txt");
    args.push(&good);
    let run = env.index_paths(&args);
    assert_eq!(run.code, 2, "{}", run.stderr);
    for (_, prefix) in cases {
        let line = run
            .stderr
            .lines()
            .find(|l| l.contains(prefix))
            .unwrap_or_else(|| panic!("no error for {prefix}: {}", run.stderr));
        let after = &line[line.find(prefix).unwrap() + prefix.len()..];
        let number: String = after.chars().take_while(char::is_ascii_digit).collect();
        assert!(number.parse::<usize>().is_ok_and(|n| n >= 1) && after[number.len()..].starts_with(": "), "{line}");
    }
    assert!(run.stderr.contains("1 added") && run.stderr.contains("4 failed"), "{}", run.stderr);
}

#[test]
fn a_broken_sidecar_is_reported_and_its_transcript_indexed_without_it() {
    let env = TestEnv::new();
    let folder = env.path().join("talks");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(fixture("sidecar/golang.srt"), folder.join("golang.srt")).unwrap();
    std::fs::write(folder.join("golang.meta.json"), "{\n  \"title\": \"Simplicity\",\n  \"show\": nope\n}\n").unwrap();

    let run = env.index_paths(&[&folder]);
    assert_eq!(run.code, 2, "a file failed: {}", run.stderr);
    assert!(run.stderr.contains("golang.meta.json:3:"), "the sidecar and its line: {}", run.stderr);
    assert!(run.stderr.contains("1 added") && run.stderr.contains("1 failed"), "{}", run.stderr);
    let hit = env.search_json("clever", &[]).json_lines().remove(0);
    assert!(hit["source"]["path"].as_str().unwrap().ends_with("golang.srt"));
    assert_eq!(hit["title"], serde_json::Value::Null, "no metadata from a broken sidecar");

    let again = env.index_paths(&[&folder]);
    assert!(again.stderr.contains("golang.meta.json:3:"), "reported until mended: {}", again.stderr);
    std::fs::write(folder.join("golang.meta.json"), r#"{"title": "Simplicity"}"#).unwrap();
    let mended = env.index_paths(&[&folder]);
    assert_eq!(mended.code, 0, "{}", mended.stderr);
    assert_eq!(env.search_json("clever", &[]).json_lines()[0]["title"], "Simplicity");
    assert!(env.index_paths(&[&folder]).stderr.contains("1 unchanged"));
}
