//! Gives the shared library its SONAME, `libpqshift.so.<PQSHIFT_ABI_MAJOR>`
//! (src/abi.rs), on ELF targets: programs linked against it record that
//! name and load whichever `libpqshift.so.<major>.<minor>.<patch>` the
//! symlink of that name points at (scripts/install-c installs both).

include!("src/abi.rs");

fn main() {
    println!("cargo:rerun-if-changed=src/abi.rs");
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    // ELF platforms whose linkers take -soname; macOS uses install names instead.
    let elf = matches!(
        os.as_str(),
        "linux"
            | "android"
            | "freebsd"
            | "netbsd"
            | "openbsd"
            | "dragonfly"
            | "illumos"
            | "solaris"
    );
    if elf {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libpqshift.so.{PQSHIFT_ABI_MAJOR}");
    }
}
