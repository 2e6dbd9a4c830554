//! Paths as CI systems want them: relative to the root of the repository, with `/`.

use std::path::{Component, Path, PathBuf};

/// Where paths are made relative to: the root of the git repository holding the
/// current directory, else the current directory.
pub struct Base {
    cwd: Option<PathBuf>,
    root: Option<PathBuf>,
}

impl Base {
    pub fn detect() -> Base {
        let cwd = std::env::current_dir().ok();
        let root = cwd.as_deref().and_then(|c| {
            c.ancestors()
                .find(|dir| dir.join(".git").exists())
                .map(Path::to_path_buf)
        });
        Base { cwd, root }
    }

    /// The path relative to the repository root with `/` separators; a relative path
    /// unchanged (but normalised) outside a repository; an absolute path otherwise.
    pub fn relative(&self, path: &Path) -> String {
        let absolute = match (&self.cwd, path.is_absolute()) {
            (_, true) => Some(normalise(path)),
            (Some(cwd), false) => Some(normalise(&cwd.join(path))),
            (None, false) => None,
        };
        if let (Some(abs), Some(root)) = (&absolute, &self.root)
            && let Ok(rel) = abs.strip_prefix(root)
        {
            return slashed(rel);
        }
        if path.is_absolute() {
            slashed(&normalise(path))
        } else {
            slashed(&normalise_relative(path))
        }
    }
}

/// Removes `.` and resolves `..` without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Removes `.` and resolves `..` where a relative path allows it.
fn normalise_relative(path: &Path) -> PathBuf {
    let mut parts: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match parts.last() {
                Some(Component::Normal(_)) => {
                    parts.pop();
                }
                _ => parts.push(c),
            },
            other => parts.push(other),
        }
    }
    parts.iter().map(|c| c.as_os_str()).collect()
}

fn slashed(path: &Path) -> String {
    let s = path.to_string_lossy();
    let s = if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    };
    if path.is_absolute() && !s.starts_with('/') {
        format!("/{s}")
    } else {
        s
    }
}

/// A path as a URI reference: relative paths stay relative, absolute ones become
/// `file://` URIs; everything but unreserved characters and `/` is percent-encoded.
pub fn uri(path: &str) -> String {
    let mut out = String::new();
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("docs/a b.yaml"), "docs/a%20b.yaml");
        assert_eq!(uri("/tmp/x:y.yaml"), "file:///tmp/x%3Ay.yaml");
        assert_eq!(uri("é.yaml"), "%C3%A9.yaml");
    }

    #[test]
    fn relative_paths_are_normalised() {
        assert_eq!(
            slashed(&normalise_relative(Path::new("./a/../b/./c.yaml"))),
            "b/c.yaml"
        );
        assert_eq!(
            slashed(&normalise_relative(Path::new("../x.yaml"))),
            "../x.yaml"
        );
    }

    #[test]
    fn paths_inside_the_root_are_relative_to_it() {
        let base = Base {
            cwd: Some(PathBuf::from("/repo/sub")),
            root: Some(PathBuf::from("/repo")),
        };
        assert_eq!(base.relative(Path::new("p.yaml")), "sub/p.yaml");
        assert_eq!(base.relative(Path::new("../q.yaml")), "q.yaml");
        assert_eq!(
            base.relative(Path::new("/elsewhere/r.yaml")),
            "/elsewhere/r.yaml"
        );
    }
}
