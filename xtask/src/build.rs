//! Builds the PWA into `dist/`: wasm (size-tuned), wasm-bindgen's JS glue,
//! one CSS file, all with content hashes in their names; `index.html` and a
//! boot script that load them; the files of `public/` as they are.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;
use sha2::{Digest, Sha256};

use crate::{run, say, setup};

/// CSS files in cascade order: tokens first, then base and layout, then
/// one file per component.
const STYLES: [&str; 22] = [
    "tokens.css",
    "base.css",
    "layout.css",
    "button.css",
    "field.css",
    "form.css",
    "page.css",
    "app-frame.css",
    "sync-status.css",
    "login-page.css",
    "citizen-list.css",
    "visit-list.css",
    "today.css",
    "visit-form.css",
    "rejected.css",
    "citizen-page.css",
    "plan.css",
    "pwa.css",
    "lead.css",
    "conflicts.css",
    "admin.css",
    "review.css",
];

/// Files in `public/` that are templates, written filled in, not copied.
const TEMPLATES: [&str; 3] = ["index.html", "sw.js", "boot.js"];

/// The split's loader reports a chunk that cannot be fetched to the wasm,
/// which then panics — and a panic stops the whole app. Helhed's loader
/// instead leaves that screen unloaded and tells the page (a window event),
/// which says so and offers a way back; everything else keeps working. The
/// build refuses a splitter whose loader reads otherwise.
const SPLIT_LOADER_REPORTS: &str = "        let success;
        try {
            await callee();
            success = true;
        } catch (e) {
            console.error(e);
            success = false;
        } finally {
            const sharedImports = getSharedImports();
            sharedImports.__wasm_split.__indirect_function_table.get(callbackIndex)(callbackData, success);
        }
";
const SPLIT_LOADER_KEEPS_GOING: &str = "        try {
            await callee();
        } catch (e) {
            console.error(e);
            window.dispatchEvent(new Event('helhed-chunk-failed'));
            return;
        }
        const sharedImports = getSharedImports();
        sharedImports.__wasm_split.__indirect_function_table.get(callbackIndex)(callbackData, true);
";

/// How the split's link module and the main module name each other before
/// the build gives them hashed names.
const SPLIT_LINK: &str = "./__wasm_split.js";
const SPLIT_MAIN: &str = "./__helhed_main.js";

pub struct Built {
    pub dist: PathBuf,
}

fn hash16(bytes: &[u8]) -> String {
    hex::encode(&Sha256::digest(bytes)[..8])
}

/// Writes `bytes` as `dist/<stem>-<hash><suffix>` and returns the file name.
fn write_hashed(dist: &Path, stem: &str, suffix: &str, bytes: &[u8]) -> anyhow::Result<String> {
    let name = format!("{stem}-{}{suffix}", hash16(bytes));
    std::fs::write(dist.join(&name), bytes).with_context(|| format!("writing {name}"))?;
    Ok(name)
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else if !TEMPLATES.iter().any(|t| entry.file_name() == *t) {
            std::fs::copy(entry.path(), &target).with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Every file under `dir`, as `/path` relative to `base`.
fn collect_files(base: &Path, dir: &Path, out: &mut Vec<String>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            collect_files(base, &entry.path(), out)?;
        } else {
            let rel = entry.path().strip_prefix(base)?.to_string_lossy().replace('\\', "/");
            out.push(format!("/{rel}"));
        }
    }
    Ok(())
}

/// One lazily loaded wasm chunk as written to `dist/`.
struct Chunk {
    /// The splitter's file name, as its link module fetches it.
    original: String,
    /// The content-hashed name in `dist/`.
    name: String,
    size: usize,
    /// Needed by a field worker's screen (precached with the shell).
    field: bool,
}

/// The app's field screens are the lazy routes whose type name starts with
/// `Field` (see `lazy_screens!` in `app/src/lib.rs`); the splitter names a
/// split after it: `__field_visit_form_screen_view_<n>`.
const FIELD_SPLIT_PREFIX: &str = "__field_";

/// Writes the split's chunks to `dist/` without their custom sections (the
/// names and producers the browser never reads), content-hashed.
fn write_chunks(dist: &Path, split: &wasm_split_cli_support::SplitWasm) -> anyhow::Result<Vec<Chunk>> {
    let field_files: std::collections::HashSet<&str> = split
        .prefetch_map
        .iter()
        .filter(|(name, _)| name.starts_with(FIELD_SPLIT_PREFIX))
        .flat_map(|(_, files)| files.iter().map(String::as_str))
        .collect();
    anyhow::ensure!(!field_files.is_empty(), "the split found no field screens ({FIELD_SPLIT_PREFIX}…)");
    let mut chunks = Vec::with_capacity(split.split_modules.len());
    for path in &split.split_modules {
        let original = path.file_name().context("chunk without a name")?.to_string_lossy().into_owned();
        let field = field_files.contains(original.trim_end_matches(".wasm"));
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let bytes = without_custom_sections(&bytes).with_context(|| format!("reading the sections of {original}"))?;
        // `split___lead_screen_view_<n>.wasm` → `lead-screen-view`; `chunk_12.wasm` → `chunk-12`.
        let stem = original.trim_end_matches(".wasm");
        let stem = match stem.strip_prefix("split___") {
            Some(split) => split.rsplit_once('_').map_or(split, |(name, _)| name),
            None => stem,
        };
        let name = write_hashed(dist, &stem.replace('_', "-"), ".wasm", &bytes)?;
        chunks.push(Chunk { original, name, size: bytes.len(), field });
    }
    Ok(chunks)
}

/// A wasm module with its custom sections (id 0) left out.
fn without_custom_sections(wasm: &[u8]) -> anyhow::Result<Vec<u8>> {
    const HEADER: usize = 8;
    anyhow::ensure!(wasm.len() >= HEADER && wasm.starts_with(b"\0asm"), "not a wasm module");
    let mut out = wasm[..HEADER].to_vec();
    let mut at = HEADER;
    while at < wasm.len() {
        let start = at;
        let id = wasm[at];
        at += 1;
        let (mut size, mut shift) = (0usize, 0);
        loop {
            let byte = *wasm.get(at).context("section size cut short")?;
            at += 1;
            size |= usize::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                break;
            }
            anyhow::ensure!(shift < 35, "section size too long");
        }
        let end = at.checked_add(size).filter(|&end| end <= wasm.len()).context("section runs past the end")?;
        if id != 0 {
            out.extend_from_slice(&wasm[start..end]);
        }
        at = end;
    }
    Ok(out)
}

/// Builds the PWA into `dist/`.
pub fn app(root: &Path, dev: bool) -> anyhow::Result<Built> {
    app_into(root, dev, "split", &root.join("dist"))
}

/// Builds the rehearsal of the next app update (the `next-schema` feature:
/// one more row field and one more synced entity) into `target/dist-next`,
/// for the upgrade test. Never shipped.
pub fn next_app(root: &Path) -> anyhow::Result<Built> {
    app_into(root, false, "split,next-schema", &crate::target_dir(root).join("dist-next"))
}

fn app_into(root: &Path, dev: bool, features: &str, dist: &Path) -> anyhow::Result<Built> {
    setup::wasm_target()?;
    setup::wasm_bindgen_cli(root)?;

    let profile = if dev { "dev" } else { "wasm-release" };
    say(&format!("Compiling the app to wasm ({profile} profile)"));
    run(Command::new("cargo").args([
        "build",
        "--package",
        "app",
        "--lib",
        "--features",
        features,
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        profile,
    ]))?;
    let out_dir = if dev { "debug" } else { "wasm-release" };
    let target = crate::target_dir(root);
    let wasm = target.join("wasm32-unknown-unknown").join(out_dir).join("app.wasm");

    say("Splitting the screens into wasm chunks of their own");
    let split_dir = target.join("wasm-split");
    let _ = std::fs::remove_dir_all(&split_dir);
    let main_wasm = split_dir.join("main.wasm");
    let input = std::fs::read(&wasm).with_context(|| format!("reading {}", wasm.display()))?;
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = &split_dir;
    options.main_out_path = &main_wasm;
    options.link_name = SPLIT_LINK;
    options.main_module = SPLIT_MAIN;
    let split = wasm_split_cli_support::transform(options).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    drop(input);

    say("Generating the JS glue with wasm-bindgen");
    let glue = target.join("wasm-bindgen");
    let _ = std::fs::remove_dir_all(&glue);
    run(Command::new("wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--remove-name-section", "--remove-producers-section"])
        // The chunks call through the main module's function table.
        .arg("--keep-lld-exports")
        .args(["--out-name", "helhed", "--out-dir"])
        .arg(&glue)
        .arg(&main_wasm))?;

    say(&format!("Writing {} with content-hashed assets", dist.display()));
    let dist = dist.to_path_buf();
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(&dist)?;
    copy_dir(&root.join("public"), &dist)?;

    let wasm_bytes = std::fs::read(glue.join("helhed_bg.wasm")).context("reading wasm-bindgen's wasm")?;
    let wasm_name = write_hashed(&dist, "helhed", "_bg.wasm", &wasm_bytes)?;
    let chunks = write_chunks(&dist, &split)?;
    let link_js = std::fs::read_to_string(split_dir.join(SPLIT_LINK)).context("reading the split's link module")?;
    anyhow::ensure!(
        link_js.contains(SPLIT_LOADER_REPORTS),
        "the splitter's loader has changed: check how it reports a chunk that cannot be fetched"
    );
    let mut link_js = link_js.replace(SPLIT_LOADER_REPORTS, SPLIT_LOADER_KEEPS_GOING);
    for chunk in &chunks {
        link_js = link_js.replace(&format!("\"./{}\"", chunk.original), &format!("\"./{}\"", chunk.name));
    }
    let js = std::fs::read_to_string(glue.join("helhed.js")).context("reading wasm-bindgen's JS")?;
    // The glue and the link module import each other: name both after one
    // digest of everything they load.
    let hash = hash16(format!("{js}\n{link_js}\n{wasm_name}").as_bytes());
    let (js_name, link_name) = (format!("helhed-{hash}.js"), format!("split-{hash}.js"));
    // Only the ES imports name the file; the wasm's import module keeps its name.
    let js_bytes = js.replace(&format!("from \"{SPLIT_LINK}\""), &format!("from \"./{link_name}\"")).into_bytes();
    std::fs::write(dist.join(&js_name), &js_bytes).with_context(|| format!("writing {js_name}"))?;
    std::fs::write(dist.join(&link_name), link_js.replace(SPLIT_MAIN, &format!("./{js_name}")))
        .with_context(|| format!("writing {link_name}"))?;

    let mut css = String::new();
    for file in STYLES {
        let text =
            std::fs::read_to_string(root.join("style").join(file)).with_context(|| format!("reading style/{file}"))?;
        let _ = writeln!(css, "/* {file} */\n{text}");
    }
    let css_name = write_hashed(&dist, "helhed", ".css", css.as_bytes())?;

    let boot = std::fs::read_to_string(root.join("public/boot.js")).context("reading public/boot.js")?;
    let boot = boot.replace("{{js}}", &format!("./{js_name}")).replace("{{wasm}}", &format!("/{wasm_name}"));
    let boot_name = write_hashed(&dist, "boot", ".js", boot.as_bytes())?;

    // The build's version: a digest of its hashed file names, which change
    // with any content.
    let version = hash16(format!("{css_name} {boot_name} {js_name} {wasm_name}").as_bytes());
    let template = std::fs::read_to_string(root.join("public/index.html")).context("reading public/index.html")?;
    let index = template
        .replace("{{build}}", &version)
        .replace("{{css}}", &format!("/{css_name}"))
        .replace("{{boot}}", &format!("/{boot_name}"))
        .replace("{{js}}", &format!("/{js_name}"))
        .replace("{{wasm}}", &format!("/{wasm_name}"));
    std::fs::write(dist.join("index.html"), index)?;

    // The service worker precaches every file of the shell, the field
    // screens' chunks among them; the office screens' chunks on request.
    let office: Vec<String> = chunks.iter().filter(|c| !c.field).map(|c| format!("/{}", c.name)).collect();
    let mut files = vec!["/".to_owned()];
    collect_files(&dist, &dist, &mut files)?;
    files.retain(|f| f != "/index.html" && f != "/sw.js" && !office.contains(f));
    files.sort();
    let sw = std::fs::read_to_string(root.join("public/sw.js")).context("reading public/sw.js")?;
    let sw = sw
        .replace("{{version}}", &version)
        .replace("{{files}}", &serde_json::to_string(&files)?)
        .replace("{{office}}", &serde_json::to_string(&office)?);
    std::fs::write(dist.join("sw.js"), sw)?;

    println!("    wasm {:>8} bytes  {wasm_name}", wasm_bytes.len());
    for (field, whose) in [(true, "field screens"), (false, "lead's and administrator's screens")] {
        let (count, size) =
            chunks.iter().filter(|c| c.field == field).fold((0, 0), |(n, bytes), c| (n + 1, bytes + c.size));
        println!("    lazy {size:>8} bytes  {count} chunks of the {whose}");
    }
    println!("    js   {:>8} bytes  {js_name}", js_bytes.len());
    println!("    css  {:>8} bytes  {css_name}", css.len());
    Ok(Built { dist })
}
