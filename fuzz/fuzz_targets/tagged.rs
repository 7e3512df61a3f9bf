//! Tagged envelopes (binary `PQSH` and text `pqshift1:` forms) of every
//! kind, decoded by the envelope itself and by every facade type.
//! Oracle: no panic; bad input is a typed input error; whatever decodes
//! re-encodes to an envelope that decodes to the same object.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pqshift::{
    Ciphertext, DecapsulationKey, EncapsulationKey, PublicKey, SecretKey, Signature, Tagged,
};
use pqshift_fuzz::assert_input_error;

fuzz_target!(|data: &[u8]| {
    let t = Tagged::decode(data);
    assert_input_error("Tagged::decode", &t);
    if let Ok(t) = &t {
        let bin = t.to_bytes();
        assert_eq!(
            Tagged::decode(&bin).as_ref().ok(),
            Some(t),
            "binary round trip"
        );
        let text = t.to_text();
        assert_eq!(
            Tagged::decode(text.as_bytes()).as_ref().ok(),
            Some(t),
            "text round trip"
        );
    }

    let r = PublicKey::decode(data, None);
    assert_input_error("PublicKey::decode", &r);
    if let Ok(k) = r {
        let again = PublicKey::decode(&k.to_tagged().expect("encode").to_bytes(), None)
            .expect("re-decode public key");
        assert_eq!(again.as_raw(), k.as_raw());
        assert_eq!(again.fingerprint(), k.fingerprint());
    }
    let r = Signature::decode(data);
    assert_input_error("Signature::decode", &r);
    if let Ok(s) = r {
        let again = Signature::decode(&s.to_bytes().expect("encode")).expect("re-decode");
        assert_eq!(again.as_raw(), s.as_raw());
    }
    let r = Ciphertext::decode(data);
    assert_input_error("Ciphertext::decode", &r);
    let r = EncapsulationKey::decode(data, None);
    assert_input_error("EncapsulationKey::decode", &r);
    let r = SecretKey::decode(data, None);
    assert_input_error("SecretKey::decode", &r);
    if let Ok(k) = r {
        let t = k.to_tagged().expect("encode secret key");
        let again = SecretKey::decode(&t.to_bytes(), None).expect("re-decode secret key");
        assert_eq!(again.fingerprint(), k.fingerprint());
    }
    let r = DecapsulationKey::decode(data, None);
    assert_input_error("DecapsulationKey::decode", &r);
    if let Ok(k) = r {
        let t = k.to_tagged().expect("encode decapsulation key");
        let again = DecapsulationKey::decode(&t.to_bytes(), None).expect("re-decode");
        assert_eq!(again.fingerprint(), k.fingerprint());
    }
});
