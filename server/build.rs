//! Records the git revision the binary is built from, for `--version` and `/metrics`, and,
//! when `ANTQ_EMBED_SITE` names the built site's folder, lists its files for the binary to
//! carry (`src/site.rs`).

// A build script reports a problem by panicking with a message.
#![allow(clippy::expect_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    revision();
    embedded_site();
}

fn revision() {
    let revision = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into());
    let dirty = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .is_some_and(|o| !o.stdout.is_empty());
    let revision = if dirty {
        format!("{revision}-modified")
    } else {
        revision
    };
    println!("cargo:rustc-env=ANTQ_REVISION={revision}");
    // A new commit or a checkout moves HEAD or the branch it points to. The index is not
    // watched: `git status` (here and in any shell) rewrites it without a change, and every
    // rewrite would rebuild and relink the server. So "-modified" is as of the last commit,
    // checkout or change of the site that made this script run.
    // A path that does not exist would make the script run on every build.
    if Path::new("../.git/HEAD").exists() {
        println!("cargo:rerun-if-changed=../.git/HEAD");
    }
    let branch = Command::new("git")
        .args(["symbolic-ref", "-q", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok());
    if let Some(branch) = branch.map(|b| b.trim().to_string()) {
        if Path::new("../.git").join(&branch).exists() {
            println!("cargo:rerun-if-changed=../.git/{branch}");
        }
    }
    if Path::new("../.git/packed-refs").exists() {
        println!("cargo:rerun-if-changed=../.git/packed-refs");
    }
}

/// The browser bundles, from the smallest to the one with every island (`scripts/lib.sh`
/// builds them): each is `pkg/{name}.js` and `pkg/{name}_bg.wasm`.
const BUNDLES: [&str; 4] = ["antq", "antq_dash", "antq_movement", "antq_office"];
const STYLESHEET: &str = "/pkg/antq.css";

/// Writes `$OUT_DIR/site.rs`: every file under `$ANTQ_EMBED_SITE` with the path it is served
/// at, its ETag, whether its name carries its hash, and its brotli and gzip forms when the site
/// has them beside it (`X.br`, `X.gz`); `BUNDLES`, each bundle's served script and wasm names
/// and the islands its script exports; `STYLESHEET`; and `SITE_VERSION`, a hash of the served
/// names (the service worker's version). The bundles' files and the stylesheet
/// get a content hash in their served name (they are then cached for a year: a new build is a
/// new name). Without the variable: no files, the plain names and no island lists.
fn embedded_site() {
    println!("cargo:rerun-if-env-changed=ANTQ_EMBED_SITE");
    let mut files = Vec::new();
    if let Some(root) = std::env::var_os("ANTQ_EMBED_SITE").filter(|r| !r.is_empty()) {
        let root = PathBuf::from(root);
        assert!(
            root.join("pkg").is_dir(),
            "ANTQ_EMBED_SITE={} has no pkg folder: build the site first",
            root.display()
        );
        collect(&root, &root, &mut files);
        files.sort();
    }
    let mut hashed: Vec<(String, String)> = BUNDLES
        .iter()
        .flat_map(|name| [format!("/pkg/{name}.js"), format!("/pkg/{name}_bg.wasm")])
        .chain([STYLESHEET.to_string()])
        .map(|url| (url.clone(), url))
        .collect();
    let mut islands: Vec<Vec<String>> = vec![Vec::new(); BUNDLES.len()];
    let mut code = String::from("pub static FILES: &[SiteFile] = &[\n");
    for (url, path) in &files {
        if url.ends_with(".br") || url.ends_with(".gz") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let bytes = std::fs::read(path).expect("reading a site file");
        let hash = fnv1a(&bytes);
        let position = hashed.iter().position(|(name, _)| name == url);
        let served = match position {
            Some(index) => {
                let (stem, extension) = url.rsplit_once('.').expect("a name with an extension");
                let served = format!("{stem}.{hash:016x}.{extension}");
                hashed[index].1 = served.clone();
                if extension == "js" {
                    islands[index / 2] = exported_islands(&String::from_utf8_lossy(&bytes));
                }
                served
            }
            None => url.clone(),
        };
        let variant = |suffix: &str| {
            let mut name = path.clone().into_os_string();
            name.push(suffix);
            let variant = PathBuf::from(name);
            if variant.is_file() {
                println!("cargo:rerun-if-changed={}", variant.display());
                format!("Some(include_bytes!({:?}))", variant.display().to_string())
            } else {
                "None".into()
            }
        };
        let _ = writeln!(
            code,
            "    SiteFile {{ path: {served:?}, bytes: include_bytes!({:?}), etag: \"\\\"{hash:016x}\\\"\", \
             immutable: {}, brotli: {}, gzip: {} }},",
            path.display().to_string(),
            position.is_some(),
            variant(".br"),
            variant(".gz"),
        );
    }
    code.push_str("];\n");
    let _ = writeln!(
        code,
        "pub static BUNDLES: [app::BundlePart; {}] = [",
        BUNDLES.len()
    );
    for (index, islands) in islands.iter().enumerate() {
        let _ = writeln!(
            code,
            "    app::BundlePart {{ script: {:?}, wasm: {:?}, islands: &{islands:?} }},",
            hashed[2 * index].1,
            hashed[2 * index + 1].1,
        );
    }
    code.push_str("];\n");
    let _ = writeln!(
        code,
        "pub static STYLESHEET: &str = {:?};",
        hashed[hashed.len() - 1].1
    );
    let names: String = hashed.iter().map(|(_, served)| served.as_str()).collect();
    let _ = writeln!(
        code,
        "pub static SITE_VERSION: &str = \"{:016x}\";",
        fnv1a(names.as_bytes())
    );
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out.join("site.rs"), code).expect("writing site.rs");
}

/// The islands a bundle's script exports: wasm-bindgen writes `export function Name_hash(`
/// for each; an island's name starts with a capital letter.
fn exported_islands(script: &str) -> Vec<String> {
    script
        .split("export function ")
        .skip(1)
        .filter_map(|rest| rest.split_once('(').map(|(name, _)| name))
        .filter(|name| name.starts_with(|c: char| c.is_ascii_uppercase()))
        .map(str::to_string)
        .collect()
}

/// Files under `dir`, with the URL path each is served at.
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    for entry in std::fs::read_dir(dir).expect("reading the site folder") {
        let path = entry.expect("a site entry").path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let relative = path.strip_prefix(root).expect("under the root");
            let url = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let absolute = path.canonicalize().expect("a site file's path");
            files.push((format!("/{url}"), absolute));
        }
    }
}

/// A 64-bit FNV-1a hash: the files' ETags change exactly when their content does.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
