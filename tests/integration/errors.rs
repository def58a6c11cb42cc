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
