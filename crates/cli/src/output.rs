//! Output files: checked against the inputs before anything is read, written under a temporary
//! name beside the destination and renamed only when the whole run succeeded.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::Failure;

/// A path as the file system resolves it: symbolic links followed, also for a file that does not
/// exist yet (its folder is resolved and its name kept).
fn resolved(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = fs::canonicalize(p) {
        return Some(c);
    }
    // A dangling link names its target.
    if let Ok(target) = fs::read_link(p) {
        let base = p.parent().unwrap_or(Path::new("."));
        return resolved(&base.join(target));
    }
    let name = p.file_name()?;
    let parent = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    fs::canonicalize(parent).ok().map(|d| d.join(name))
}

/// Whether two paths name the same file: the same resolved path, or (for existing files) the same
/// device and inode, which also catches hard links.
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (fs::metadata(a), fs::metadata(b)) {
            if x.dev() == y.dev() && x.ino() == y.ino() {
                return true;
            }
        }
    }
    match (resolved(a), resolved(b)) {
        (Some(x), Some(y)) => x == y,
        // Unresolvable (e.g. a missing folder): the plain texts are all there is to compare.
        _ => a == b,
    }
}

/// Refuses an output that is one of the inputs or another output. Runs before anything is read.
pub fn check_paths(inputs: &[(&str, &Path)], outputs: &[(&str, &Path)]) -> Result<(), Failure> {
    for (i, (name, out)) in outputs.iter().enumerate() {
        for (iname, input) in inputs {
            if same_file(out, input) {
                return Err(Failure::Usage(format!(
                    "{name} {} is the same file as {iname} {}; refusing to overwrite an input",
                    out.display(),
                    input.display()
                )));
            }
        }
        for (oname, other) in &outputs[..i] {
            if same_file(out, other) {
                return Err(Failure::Usage(format!(
                    "{name} {} is the same file as {oname} {}; give each output its own path",
                    out.display(),
                    other.display()
                )));
            }
        }
    }
    Ok(())
}

/// An output: standard output, or a file written under a temporary name and renamed on success,
/// so a failed run leaves neither a half-written nor a stale temporary file behind.
pub struct Output {
    tmp: Option<(PathBuf, PathBuf)>,
    pub w: BufWriter<Box<dyn Write>>,
}

impl Output {
    /// Standard output for `None`, else a new temporary file beside `path`.
    pub fn create(path: Option<&Path>) -> Result<Output, Failure> {
        let Some(p) = path else {
            return Ok(Output {
                tmp: None,
                w: BufWriter::new(Box::new(io::stdout())),
            });
        };
        // A name of our own (process id, a counter), created exclusively: an existing file of that
        // name is never truncated, and two outputs never share a temporary file.
        for attempt in 0..100u32 {
            let mut name = p.as_os_str().to_owned();
            name.push(format!(".{}-{attempt}.partial", std::process::id()));
            let tmp = PathBuf::from(name);
            match OpenOptions::new().write(true).create_new(true).open(&tmp) {
                Ok(f) => {
                    return Ok(Output {
                        tmp: Some((tmp, p.to_owned())),
                        w: BufWriter::with_capacity(1 << 16, Box::new(f) as Box<dyn Write>),
                    })
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(Failure::Data(format!("{}: {e}", tmp.display()))),
            }
        }
        Err(Failure::Data(format!(
            "{}: cannot create a temporary file beside it",
            p.display()
        )))
    }

    /// Writes out what is buffered, keeping the temporary name.
    fn flush(&mut self) -> Result<(), Failure> {
        self.w.flush().map_err(io_err)
    }

    fn rename(mut self) -> Result<(), Failure> {
        if let Some((tmp, dest)) = self.tmp.take() {
            if let Err(e) = fs::rename(&tmp, &dest) {
                let _ = fs::remove_file(&tmp);
                return Err(Failure::Data(format!("{}: {e}", dest.display())));
            }
        }
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if let Some((tmp, _)) = &self.tmp {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// Flushes every output, and only when all of them are complete renames them into place.
pub fn commit_all(outputs: Vec<Output>) -> Result<(), Failure> {
    let mut outputs = outputs;
    for o in &mut outputs {
        o.flush()?;
    }
    for o in outputs {
        o.rename()?;
    }
    Ok(())
}

/// A failed write.
pub fn io_err(e: io::Error) -> Failure {
    Failure::Data(format!("write failed: {e}"))
}

/// Opens an input file.
pub fn open_input(p: &Path) -> Result<File, Failure> {
    File::open(p).map_err(|e| Failure::Data(format!("{}: {e}", p.display())))
}
