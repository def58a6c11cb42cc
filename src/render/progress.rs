//! The indexing progress bar: the one place that configures indicatif.

use crate::pipeline::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::Path;

/// A progress bar on stderr, counting bytes, with files done in the message.
pub struct Bar {
    bar: ProgressBar,
    files: std::sync::atomic::AtomicU64,
}

impl Bar {
    /// A visible bar when `visible` (stderr is a terminal and not `--quiet`), else a hidden one.
    pub fn new(visible: bool) -> Bar {
        let bar = ProgressBar::with_draw_target(
            Some(0),
            if visible {
                ProgressDrawTarget::stderr()
            } else {
                ProgressDrawTarget::hidden()
            },
        );
        let style = ProgressStyle::with_template(
            "{spinner} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} · {msg} · ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        Bar {
            bar,
            files: std::sync::atomic::AtomicU64::new(0),
        }
    }
}

impl Progress for Bar {
    fn start(&self, files: u64, bytes: u64) {
        self.bar.set_length(bytes);
        self.bar.set_message(format!("0/{files} files"));
        self.files
            .store(files, std::sync::atomic::Ordering::Relaxed);
    }

    fn file_done(&self, _: &Path, bytes: u64) {
        self.bar.inc(bytes);
        let total = self.files.load(std::sync::atomic::Ordering::Relaxed);
        let done = self.bar.position();
        let _ = done;
        self.bar.set_message(format!("{} files", total));
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
