//! Corpus files as `pqshift migrate` reads them: the line reader (newline
//! rules, line-length limit, blank lines, `\r`), the JSON record, and the
//! record's cross-checks (algorithm, hex, context, tagged signature and
//! public key); plus manifest and keystore JSON.
//! Oracle: no panic; every accepted record writes back to a line that
//! parses to the same record.
#![no_main]

use std::io::Cursor;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use pqshift_migration::corpus::{CorpusReader, Keystore, Manifest, Record};

fuzz_target!(|data: &[u8]| {
    let mut reader = CorpusReader::new(Path::new("fuzz.jsonl"), Cursor::new(data));
    for _ in 0..64 {
        match reader.next_record() {
            Ok(Some((_, record))) => {
                if let Ok(parsed) = record.parse() {
                    let _ = parsed;
                    let line = record.to_line().expect("record re-encodes");
                    let again: Record = serde_json::from_str(&line).expect("line re-parses");
                    assert_eq!(again, record, "record round trip");
                    assert!(
                        again.parse().is_ok(),
                        "re-parsed record must still be valid"
                    );
                }
            }
            Ok(None) | Err(_) => break,
        }
    }
    let _ = reader.merkle_root();
    let _ = serde_json::from_slice::<Manifest>(data);
    let _ = serde_json::from_slice::<Keystore>(data);
});
