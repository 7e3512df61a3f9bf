//! Which liboqs implementation serves each algorithm: what build.rs found
//! compiled in (the cfgs it derives from liboqs' installed `oqsconfig.h`)
//! and what liboqs' own dispatch picks on this CPU.
//!
//! liboqs' dispatch (`src/sig/ml_dsa/sig_ml_dsa_*.c`,
//! `src/kem/ml_kem/kem_ml_kem_*.c`): with the optimized code compiled in, a
//! distribution build (`OQS_DIST_BUILD`) uses it when the CPU has
//! AVX2 + POPCNT (ML-DSA) or AVX2 + BMI2 + POPCNT (ML-KEM), else the
//! portable reference code; a non-distribution build always uses it.

use pqshift_provider_api::{AlgorithmId, Variant};

/// Why the AVX2 ML-DSA code is not in this build.
const MLDSA_COMPILED_OUT: &str = "AVX2 ML-DSA compiled out \
    (providers/liboqs/cmake/liboqs-no-avx2-mldsa.cmake: the pq-crystals AVX2 verifier \
    lacks the z-norm check, see SECURITY.md); portable reference code only";

/// The variants liboqs was built with for `alg`, as build.rs found them.
fn compiled_avx2(alg: AlgorithmId) -> bool {
    match alg {
        AlgorithmId::MlDsa44 => cfg!(liboqs_ml_dsa_44_avx2),
        AlgorithmId::MlDsa65 => cfg!(liboqs_ml_dsa_65_avx2),
        AlgorithmId::MlDsa87 => cfg!(liboqs_ml_dsa_87_avx2),
        AlgorithmId::MlKem512 => cfg!(liboqs_ml_kem_512_x86_64),
        AlgorithmId::MlKem768 => cfg!(liboqs_ml_kem_768_x86_64),
        AlgorithmId::MlKem1024 => cfg!(liboqs_ml_kem_1024_x86_64),
        _ => false,
    }
}

/// The CPU features liboqs requires before it runs its AVX2 code for `alg`,
/// and whether this CPU has them.
fn cpu_features(alg: AlgorithmId) -> (&'static str, bool) {
    let kem = alg.kind() == pqshift_provider_api::AlgorithmKind::Kem;
    #[cfg(any(target_arch = "x86_64", target_arch = "x86"))]
    {
        let base = std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("popcnt");
        if kem {
            (
                "AVX2, BMI2 and POPCNT",
                base && std::is_x86_feature_detected!("bmi2"),
            )
        } else {
            ("AVX2 and POPCNT", base)
        }
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "x86")))]
    {
        if kem {
            ("AVX2, BMI2 and POPCNT", false)
        } else {
            ("AVX2 and POPCNT", false)
        }
    }
}

/// The variant report for one liboqs algorithm.
pub(crate) fn of(alg: AlgorithmId) -> Variant {
    let is_kem = alg.kind() == pqshift_provider_api::AlgorithmKind::Kem;
    let optimized = if is_kem {
        "x86_64 (AVX2) mlkem-native code"
    } else {
        "AVX2 pq-crystals code"
    };
    if !compiled_avx2(alg) {
        let note = if is_kem {
            "liboqs built without its x86_64 ML-KEM code (not an x86_64 build); \
             portable reference code only"
                .to_string()
        } else {
            MLDSA_COMPILED_OUT.to_string()
        };
        return Variant {
            compiled: vec!["ref"],
            active: "ref",
            note,
        };
    }
    let (needs, has) = cpu_features(alg);
    let (active, note) = if !cfg!(liboqs_dist_build) {
        (
            "avx2",
            format!("liboqs built for this CPU (not a distribution build): {optimized} always"),
        )
    } else if has {
        (
            "avx2",
            format!("liboqs picks its {optimized} at run time: this CPU has {needs}"),
        )
    } else {
        (
            "ref",
            format!(
                "liboqs picks its portable reference code at run time: this CPU lacks {needs} \
                 for the {optimized}"
            ),
        )
    };
    Variant {
        compiled: vec!["ref", "avx2"],
        active,
        note,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn the_build_script_read_liboqs_config() {
        let header = env!("PQSHIFT_LIBOQS_OQSCONFIG_H");
        let text = std::fs::read_to_string(header).unwrap();
        for (alg, define) in [
            (AlgorithmId::MlDsa44, "OQS_ENABLE_SIG_ml_dsa_44_avx2"),
            (AlgorithmId::MlDsa65, "OQS_ENABLE_SIG_ml_dsa_65_avx2"),
            (AlgorithmId::MlDsa87, "OQS_ENABLE_SIG_ml_dsa_87_avx2"),
            (AlgorithmId::MlKem512, "OQS_ENABLE_KEM_ml_kem_512_x86_64"),
            (AlgorithmId::MlKem768, "OQS_ENABLE_KEM_ml_kem_768_x86_64"),
            (AlgorithmId::MlKem1024, "OQS_ENABLE_KEM_ml_kem_1024_x86_64"),
        ] {
            let defined = text
                .lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["#define", define, "1"]);
            assert_eq!(compiled_avx2(alg), defined, "{alg}: {define} in {header}");
        }
    }
}
