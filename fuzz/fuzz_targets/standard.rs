//! Standard key encodings: SPKI and PKCS#8, DER and PEM, every algorithm,
//! seed / expanded / both private-key forms; plus the format sniffing of
//! the `decode_*_any` functions the CLI uses.
//! Oracle: no panic; bad input is a typed input error; a parsed key writes
//! back to DER that parses to the same key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pqshift::standard::{self, PemLabel};
use pqshift::{
    decode_decapsulation_key_any, decode_encapsulation_key_any, decode_public_key_any,
    decode_secret_key_any, DecapsulationKey, EncapsulationKey, PublicKey, SecretKey,
};
use pqshift_fuzz::assert_input_error;

fuzz_target!(|data: &[u8]| {
    let r = standard::parse_spki_der(data);
    assert_input_error("parse_spki_der", &r);
    if let Ok((alg, raw)) = &r {
        let der = standard::spki_der(*alg, raw).expect("re-encode SPKI");
        assert_eq!(
            standard::parse_spki_der(&der).ok().as_ref(),
            r.as_ref().ok()
        );
    }
    assert_input_error(
        "parse_pkcs8_der_full",
        &standard::parse_pkcs8_der_full(data),
    );
    assert_input_error(
        "parse_pem(public)",
        &standard::parse_pem(PemLabel::PublicKey, data),
    );
    assert_input_error(
        "parse_pem(private)",
        &standard::parse_pem(PemLabel::PrivateKey, data),
    );

    let r = decode_public_key_any(data, None);
    assert_input_error("decode_public_key_any", &r);
    if let Ok(k) = r {
        let again =
            PublicKey::from_spki_der(&k.to_spki_der().expect("SPKI"), None).expect("re-parse SPKI");
        assert_eq!(again.as_raw(), k.as_raw());
    }
    let r = decode_encapsulation_key_any(data, None);
    assert_input_error("decode_encapsulation_key_any", &r);
    if let Ok(k) = r {
        let again = EncapsulationKey::from_spki_der(&k.to_spki_der().expect("SPKI"), None)
            .expect("re-parse SPKI");
        assert_eq!(again.as_raw(), k.as_raw());
    }
    let r = decode_secret_key_any(data, None);
    assert_input_error("decode_secret_key_any", &r);
    if let Ok(k) = r {
        if let Ok(der) = k.to_pkcs8_der() {
            let again = SecretKey::from_pkcs8_der(&der, None).expect("re-parse PKCS#8");
            assert_eq!(again.fingerprint(), k.fingerprint());
        }
    }
    let r = decode_decapsulation_key_any(data, None);
    assert_input_error("decode_decapsulation_key_any", &r);
    if let Ok(k) = r {
        if let Ok(der) = k.to_pkcs8_der() {
            let again = DecapsulationKey::from_pkcs8_der(&der, None).expect("re-parse PKCS#8");
            assert_eq!(again.fingerprint(), k.fingerprint());
        }
    }
});
