//! Configuration files: TOML text through the same loader `pqshift` uses
//! (fail closed: unknown keys, algorithms, providers, kind mismatches,
//! the placeholder without `allow_insecure`, ...).
//! Oracle: no panic; a refused file is an input, unsupported or policy
//! error with a message, never an internal one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pqshift::Policy;
use pqshift_fuzz::assert_input_error;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let r = Policy::from_toml_str(text);
    assert_input_error("Policy::from_toml_str", &r);
    if let Ok(p) = r {
        // A loaded policy answers for every algorithm without panicking.
        for alg in pqshift::AlgorithmId::ALL {
            assert_input_error("Policy::accepts", &p.accepts(alg));
        }
        let _ = p.sign_choice();
        let _ = p.kem_choice();
    }
});
