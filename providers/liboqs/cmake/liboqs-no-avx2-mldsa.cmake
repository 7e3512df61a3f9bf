# CMake "toolchain" file for the liboqs that oqs-sys builds: it compiles
# liboqs' AVX2 ML-DSA code (pq-crystals, sig/ml_dsa/*_avx2) out, and does
# nothing else. The `cmake` crate passes it as -DCMAKE_TOOLCHAIN_FILE
# because the repository's .cargo/config.toml sets
# CMAKE_TOOLCHAIN_FILE_x86_64_unknown_linux_gnu to it.
#
# Why: liboqs 0.13's AVX2 ML-DSA verifier accepts signatures whose z breaks
# the FIPS 204 norm bound (Wycheproof mldsa_*_verify_test.json,
# InfinityNormViolation); its portable reference code rejects them. See
# providers/liboqs/README.md and SECURITY.md.
#
# How: liboqs' .CMake/alg_support.cmake declares
#   cmake_dependent_option(OQS_ENABLE_SIG_ml_dsa_65_avx2 "" ON "OQS_ENABLE_SIG_ml_dsa_65" OFF)
# which, like option(), leaves an existing cache entry alone. This file is
# read by project(), before alg_support.cmake, so OFF cache entries made
# here win. ML-KEM's x86_64 (AVX2) code has its own options
# (OQS_ENABLE_KEM_ml_kem_*_x86_64) and stays on.
#
# Deliberately NOT here: compilers, flags, sysroots or anything else a
# toolchain file usually sets. (One side effect to know: with a toolchain
# file the cmake crate stops passing -DCMAKE_C_COMPILER, so CMake finds the
# C compiler itself: $CC, else `cc`, which is what the cmake crate would
# have passed too.)
#
# After changing this file or the .cargo/config.toml entry, run
# `cargo clean -p oqs-sys`: cargo does not rebuild liboqs on its own.

set(OQS_ENABLE_SIG_ml_dsa_44_avx2 OFF CACHE BOOL "pqshift: AVX2 ML-DSA-44 compiled out (verifier lacks the z-norm check)" FORCE)
set(OQS_ENABLE_SIG_ml_dsa_65_avx2 OFF CACHE BOOL "pqshift: AVX2 ML-DSA-65 compiled out (verifier lacks the z-norm check)" FORCE)
set(OQS_ENABLE_SIG_ml_dsa_87_avx2 OFF CACHE BOOL "pqshift: AVX2 ML-DSA-87 compiled out (verifier lacks the z-norm check)" FORCE)
