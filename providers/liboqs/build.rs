//! Learns which ML-DSA and ML-KEM implementations liboqs was built with, so
//! that `Scheme::variant()` reports what is really linked in.
//!
//! oqs-sys (`links = "oqs"`) builds liboqs with the `cmake` crate, which
//! prints `cargo:root=<install prefix>`; cargo hands that to this script as
//! `DEP_OQS_ROOT`. The installed `include/oqs/oqsconfig.h` holds one
//! `#define` per algorithm variant compiled in. Each one found becomes a cfg:
//!
//! - `liboqs_ml_dsa_{44,65,87}_avx2`: liboqs' AVX2 ML-DSA (pq-crystals) code;
//! - `liboqs_ml_kem_{512,768,1024}_x86_64`: liboqs' x86_64 (AVX2) ML-KEM
//!   (mlkem-native) code;
//! - `liboqs_ml_kem_{512,768,1024}_aarch64`: its AArch64 (NEON) ML-KEM code;
//! - `liboqs_dist_build`: a "distribution" build that picks the optimized
//!   code at run time by CPU detection (else it is always used).
//!
//! The header's path is passed on as `PQSHIFT_LIBOQS_OQSCONFIG_H`.

use std::path::PathBuf;

/// (cfg name, the oqsconfig.h define behind it).
const FLAGS: [(&str, &str); 10] = [
    ("liboqs_ml_dsa_44_avx2", "OQS_ENABLE_SIG_ml_dsa_44_avx2"),
    ("liboqs_ml_dsa_65_avx2", "OQS_ENABLE_SIG_ml_dsa_65_avx2"),
    ("liboqs_ml_dsa_87_avx2", "OQS_ENABLE_SIG_ml_dsa_87_avx2"),
    (
        "liboqs_ml_kem_512_x86_64",
        "OQS_ENABLE_KEM_ml_kem_512_x86_64",
    ),
    (
        "liboqs_ml_kem_768_x86_64",
        "OQS_ENABLE_KEM_ml_kem_768_x86_64",
    ),
    (
        "liboqs_ml_kem_1024_x86_64",
        "OQS_ENABLE_KEM_ml_kem_1024_x86_64",
    ),
    (
        "liboqs_ml_kem_512_aarch64",
        "OQS_ENABLE_KEM_ml_kem_512_aarch64",
    ),
    (
        "liboqs_ml_kem_768_aarch64",
        "OQS_ENABLE_KEM_ml_kem_768_aarch64",
    ),
    (
        "liboqs_ml_kem_1024_aarch64",
        "OQS_ENABLE_KEM_ml_kem_1024_aarch64",
    ),
    ("liboqs_dist_build", "OQS_DIST_BUILD"),
];

/// The defines the ML-DSA and ML-KEM schemes need: without them liboqs
/// was not built the way this crate expects.
const REQUIRED: [&str; 6] = [
    "OQS_ENABLE_SIG_ml_dsa_44",
    "OQS_ENABLE_SIG_ml_dsa_65",
    "OQS_ENABLE_SIG_ml_dsa_87",
    "OQS_ENABLE_KEM_ml_kem_512",
    "OQS_ENABLE_KEM_ml_kem_768",
    "OQS_ENABLE_KEM_ml_kem_1024",
];

fn main() -> Result<(), String> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=DEP_OQS_ROOT");
    for (cfg, _) in FLAGS {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
    }

    let root = std::env::var_os("DEP_OQS_ROOT").ok_or(
        "DEP_OQS_ROOT is not set: oqs-sys must be a direct dependency and build liboqs \
         from its vendored source (the `vendored` feature of oqs)",
    )?;
    let header = PathBuf::from(root).join("include/oqs/oqsconfig.h");
    println!("cargo::rerun-if-changed={}", header.display());
    let text = std::fs::read_to_string(&header)
        .map_err(|e| format!("cannot read liboqs' {}: {e}", header.display()))?;

    let defined: Vec<&str> = text
        .lines()
        .filter_map(|line| line.trim().strip_prefix("#define "))
        .filter_map(|rest| rest.split_whitespace().next())
        .collect();
    let has = |name: &str| defined.contains(&name);

    for name in REQUIRED {
        if !has(name) {
            return Err(format!(
                "{} does not define {name}: liboqs was built without an algorithm this crate serves",
                header.display()
            ));
        }
    }
    for (cfg, define) in FLAGS {
        if has(define) {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
    let avx2_mldsa: Vec<&str> = FLAGS[..3]
        .iter()
        .filter(|(_, define)| has(define))
        .map(|(_, define)| *define)
        .collect();
    if !avx2_mldsa.is_empty() {
        println!(
            "cargo::warning=liboqs was built with its AVX2 ML-DSA code ({}), whose verifier \
             lacks the z-norm check: the ML-DSA self-test will refuse it on AVX2 CPUs. \
             The repository's .cargo/config.toml compiles it out; a stale build keeps it: \
             run `cargo clean -p oqs-sys` and rebuild.",
            avx2_mldsa.join(", ")
        );
    }
    println!(
        "cargo::rustc-env=PQSHIFT_LIBOQS_OQSCONFIG_H={}",
        header.display()
    );
    Ok(())
}
