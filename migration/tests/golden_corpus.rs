//! The committed golden corpora, verified record by record with their
//! keystores, and their manifests' Merkle roots recomputed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift::merkle::MerkleBuilder;
use pqshift_migration::corpus::{self, CorpusReader, Keystore, Manifest};

#[test]
fn golden_corpora_verify() {
    let dir = pqshift_test_support::project_root().join("golden/corpus");
    for (stem, records, keys, alg) in [
        ("ed25519-v1", 1000, 10, "ed25519"),
        ("placeholder-v1", 200, 4, "insecure-test-hmac-sha256"),
    ] {
        let m = dir.join(format!("{stem}.manifest.json"));
        let report = corpus::verify_corpus(&m).unwrap();
        assert_eq!((report.records, report.valid), (records, records), "{stem}");
        assert!(report.invalid.is_empty());
        let manifest = Manifest::read(&m).unwrap();
        assert_eq!(manifest.algorithms, vec![alg.to_string()]);
        assert_eq!(manifest.keystore, format!("{stem}.keystore.json"));
        let ks = Keystore::read(&manifest.keystore_path(&m)).unwrap();
        assert_eq!(ks.keys.len(), keys);

        // The root once more, from the raw lines, with the facade's builder.
        let text = std::fs::read_to_string(manifest.corpus_path(&m)).unwrap();
        let mut b = MerkleBuilder::new();
        for line in text.lines() {
            b.push(line.as_bytes());
        }
        assert_eq!(hex::encode(b.root()), manifest.merkle_root);

        // Every key signs; Ed25519 records carry an empty context.
        let mut r = CorpusReader::open(&manifest.corpus_path(&m)).unwrap();
        let mut used = std::collections::BTreeSet::new();
        let mut large = 0;
        while let Some((_, rec)) = r.next_parsed().unwrap() {
            used.insert(rec.key_id.clone());
            if alg == "ed25519" {
                assert!(rec.context.is_empty());
            }
            if rec.message.len() > 1000 {
                large += 1;
            }
        }
        assert_eq!(used.len(), keys);
        assert!(large > 0, "{stem}: some large messages");
    }
}
