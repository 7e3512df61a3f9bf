//! Which liboqs implementation serves each algorithm: what build.rs found
//! compiled in (the cfgs it derives from liboqs' installed `oqsconfig.h`)
//! and what liboqs' own dispatch picks on this CPU.
//!
//! liboqs' dispatch (`src/sig/ml_dsa/sig_ml_dsa_*.c`,
//! `src/kem/ml_kem/kem_ml_kem_*.c`): with the optimized code compiled in, a
//! distribution build (`OQS_DIST_BUILD`) uses it when the CPU has
//! AVX2 + POPCNT (ML-DSA) or AVX2 + BMI2 + POPCNT (ML-KEM), else the
//! portable reference code; a non-distribution build always uses it.

use pqshift_provider_api::{AlgorithmId, AlgorithmKind, Variant};

/// Why the AVX2 ML-DSA code is not in this build.
const MLDSA_COMPILED_OUT: &str = "AVX2 ML-DSA compiled out \
    (providers/liboqs/cmake/liboqs-no-avx2-mldsa.cmake: the pq-crystals AVX2 verifier \
    lacks the z-norm check, see SECURITY.md); portable reference code only";

/// An optimized implementation compiled into liboqs for one algorithm.
struct Optimized {
    /// Its variant name.
    name: &'static str,
    /// What it is, for the note.
    what: &'static str,
    /// The CPU features liboqs' dispatch requires before it runs it.
    needs: &'static str,
    /// Whether this CPU has them.
    cpu_has: bool,
}

/// AVX2 and POPCNT (ML-DSA), plus BMI2 (ML-KEM), as liboqs checks them.
fn x86_has(with_bmi2: bool) -> bool {
    #[cfg(any(target_arch = "x86_64", target_arch = "x86"))]
    {
        std::is_x86_feature_detected!("avx2")
            && std::is_x86_feature_detected!("popcnt")
            && (!with_bmi2 || std::is_x86_feature_detected!("bmi2"))
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "x86")))]
    {
        let _ = with_bmi2;
        false
    }
}

/// NEON, as liboqs checks it for its AArch64 ML-KEM code.
fn neon() -> bool {
    #[cfg(target_arch = "aarch64")]
    {
        std::arch::is_aarch64_feature_detected!("neon")
    }
    #[cfg(not(target_arch = "aarch64"))]
    {
        false
    }
}

fn avx2_mldsa() -> Optimized {
    Optimized {
        name: "avx2",
        what: "AVX2 pq-crystals ML-DSA code",
        needs: "AVX2 and POPCNT",
        cpu_has: x86_has(false),
    }
}

fn x86_64_mlkem() -> Optimized {
    Optimized {
        name: "avx2",
        what: "x86_64 (AVX2) mlkem-native code",
        needs: "AVX2, BMI2 and POPCNT",
        cpu_has: x86_has(true),
    }
}

fn aarch64_mlkem() -> Optimized {
    Optimized {
        name: "aarch64",
        what: "AArch64 (NEON) mlkem-native code",
        needs: "NEON",
        cpu_has: neon(),
    }
}

/// The optimized code liboqs was built with for `alg`, as build.rs found it.
fn optimized(alg: AlgorithmId) -> Option<Optimized> {
    let (x86, arm) = match alg {
        AlgorithmId::MlDsa44 => (cfg!(liboqs_ml_dsa_44_avx2), false),
        AlgorithmId::MlDsa65 => (cfg!(liboqs_ml_dsa_65_avx2), false),
        AlgorithmId::MlDsa87 => (cfg!(liboqs_ml_dsa_87_avx2), false),
        AlgorithmId::MlKem512 => (
            cfg!(liboqs_ml_kem_512_x86_64),
            cfg!(liboqs_ml_kem_512_aarch64),
        ),
        AlgorithmId::MlKem768 => (
            cfg!(liboqs_ml_kem_768_x86_64),
            cfg!(liboqs_ml_kem_768_aarch64),
        ),
        AlgorithmId::MlKem1024 => (
            cfg!(liboqs_ml_kem_1024_x86_64),
            cfg!(liboqs_ml_kem_1024_aarch64),
        ),
        _ => (false, false),
    };
    let kem = alg.kind() == AlgorithmKind::Kem;
    match (x86, arm, kem) {
        (true, _, false) => Some(avx2_mldsa()),
        (true, _, true) => Some(x86_64_mlkem()),
        (false, true, true) => Some(aarch64_mlkem()),
        _ => None,
    }
}

/// The variant report for one liboqs algorithm.
pub(crate) fn of(alg: AlgorithmId) -> Variant {
    let Some(opt) = optimized(alg) else {
        let note = if alg.kind() == AlgorithmKind::Signature && cfg!(target_arch = "x86_64") {
            MLDSA_COMPILED_OUT
        } else {
            "liboqs has no optimized code for this algorithm on this target; \
             portable reference code only"
        };
        return Variant {
            compiled: vec!["ref"],
            active: "ref",
            note: note.to_string(),
        };
    };
    let (active, note) = if !cfg!(liboqs_dist_build) {
        (
            opt.name,
            format!(
                "liboqs built for this CPU (not a distribution build): its {} always",
                opt.what
            ),
        )
    } else if opt.cpu_has {
        (
            opt.name,
            format!(
                "liboqs picks its {} at run time: this CPU has {}",
                opt.what, opt.needs
            ),
        )
    } else {
        (
            "ref",
            format!(
                "liboqs picks its portable reference code at run time: this CPU lacks {} \
                 for the {}",
                opt.needs, opt.what
            ),
        )
    };
    Variant {
        compiled: vec!["ref", opt.name],
        active,
        note,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    /// The cfgs build.rs derived agree with the header it read.
    #[test]
    fn the_build_script_read_liboqs_config() {
        let header = env!("PQSHIFT_LIBOQS_OQSCONFIG_H");
        let text = std::fs::read_to_string(header).unwrap();
        let defined = |name: &str| {
            text.lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["#define", name, "1"])
        };
        for (alg, defines) in [
            (AlgorithmId::MlDsa44, &["OQS_ENABLE_SIG_ml_dsa_44_avx2"][..]),
            (AlgorithmId::MlDsa65, &["OQS_ENABLE_SIG_ml_dsa_65_avx2"][..]),
            (AlgorithmId::MlDsa87, &["OQS_ENABLE_SIG_ml_dsa_87_avx2"][..]),
            (
                AlgorithmId::MlKem512,
                &[
                    "OQS_ENABLE_KEM_ml_kem_512_x86_64",
                    "OQS_ENABLE_KEM_ml_kem_512_aarch64",
                ][..],
            ),
            (
                AlgorithmId::MlKem768,
                &[
                    "OQS_ENABLE_KEM_ml_kem_768_x86_64",
                    "OQS_ENABLE_KEM_ml_kem_768_aarch64",
                ][..],
            ),
            (
                AlgorithmId::MlKem1024,
                &[
                    "OQS_ENABLE_KEM_ml_kem_1024_x86_64",
                    "OQS_ENABLE_KEM_ml_kem_1024_aarch64",
                ][..],
            ),
        ] {
            assert_eq!(
                optimized(alg).is_some(),
                defines.iter().any(|d| defined(d)),
                "{alg}: {defines:?} in {header}"
            );
        }
        assert_eq!(cfg!(liboqs_dist_build), defined("OQS_DIST_BUILD"));
    }
}
