//! SHA-256 and the Merkle tree hash of RFC 6962, used for corpus manifests.
//!
//! The tree is exactly the Merkle Tree Hash (MTH) of RFC 6962, section 2.1
//! (Certificate Transparency), with SHA-256 and its domain separation:
//!
//! ```text
//! MTH({})       = SHA-256()                                   (the empty string)
//! MTH({d0})     = SHA-256(0x00 || d0)                         (leaf hash)
//! MTH(D[n])     = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])) (node hash)
//!                 where k is the largest power of two smaller than n (n > 1)
//! ```
//!
//! The split rule means an odd node is never duplicated (unlike Bitcoin's
//! tree): built bottom-up level by level, the last node of an odd-length
//! level is promoted unchanged to the next level. [`MerkleBuilder`]
//! computes the same root in a single pass over the leaves, holding at most
//! 64 hashes (one per perfect subtree, the "compact range" of CT logs).
//!
//! ```
//! use pqshift::merkle::{merkle_root, MerkleBuilder};
//!
//! let leaves: [&[u8]; 3] = [b"a", b"b", b"c"];
//! let mut b = MerkleBuilder::new();
//! for leaf in leaves {
//!     b.push(leaf);
//! }
//! assert_eq!(b.count(), 3);
//! assert_eq!(b.root(), merkle_root(&leaves));
//! assert_eq!(hex::encode(merkle_root(&[])),
//!            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
//! ```

use sha2::{Digest, Sha256};

/// Length of a SHA-256 digest (and of every tree hash).
pub const HASH_LEN: usize = 32;

/// Domain-separation prefix of a leaf hash (RFC 6962).
pub const LEAF_PREFIX: u8 = 0x00;

/// Domain-separation prefix of an interior node hash (RFC 6962).
pub const NODE_PREFIX: u8 = 0x01;

/// SHA-256 (FIPS 180-4) of `data`.
pub fn sha256(data: &[u8]) -> [u8; HASH_LEN] {
    Sha256::digest(data).into()
}

/// The leaf hash `SHA-256(0x00 || data)`.
pub fn leaf_hash(data: &[u8]) -> [u8; HASH_LEN] {
    let mut h = Sha256::new();
    h.update([LEAF_PREFIX]);
    h.update(data);
    h.finalize().into()
}

/// The node hash `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &[u8; HASH_LEN], right: &[u8; HASH_LEN]) -> [u8; HASH_LEN] {
    let mut h = Sha256::new();
    h.update([NODE_PREFIX]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The RFC 6962 Merkle Tree Hash of `leaves` (each leaf is the data, not
/// its hash). The empty list gives SHA-256 of the empty string.
pub fn merkle_root(leaves: &[&[u8]]) -> [u8; HASH_LEN] {
    let mut b = MerkleBuilder::new();
    for leaf in leaves {
        b.push(leaf);
    }
    b.root()
}

/// A streaming RFC 6962 tree hash: push leaves one at a time, read the
/// root at any point. Memory is O(log n) whatever the number of leaves.
#[derive(Debug, Clone, Default)]
pub struct MerkleBuilder {
    /// Roots of the perfect subtrees covering the leaves so far, left to
    /// right, with strictly decreasing heights (the binary digits of `count`).
    stack: Vec<(u32, [u8; HASH_LEN])>,
    count: u64,
}

impl MerkleBuilder {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a leaf (its data; it is hashed with the leaf prefix here).
    pub fn push(&mut self, data: &[u8]) {
        self.push_leaf_hash(leaf_hash(data));
    }

    /// Appends a leaf given by its leaf hash `SHA-256(0x00 || data)`.
    pub fn push_leaf_hash(&mut self, hash: [u8; HASH_LEN]) {
        let mut node = (0u32, hash);
        while let Some(&(height, left)) = self.stack.last() {
            if height != node.0 {
                break;
            }
            self.stack.pop();
            node = (height + 1, node_hash(&left, &node.1));
        }
        self.stack.push(node);
        self.count += 1;
    }

    /// How many leaves were pushed.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The tree hash of the leaves so far (RFC 6962 MTH). The perfect
    /// subtrees are joined right to left, which is exactly MTH's split at
    /// the largest power of two.
    pub fn root(&self) -> [u8; HASH_LEN] {
        let mut iter = self.stack.iter().rev();
        let Some(&(_, mut acc)) = iter.next() else {
            return sha256(b"");
        };
        for (_, left) in iter {
            acc = node_hash(left, &acc);
        }
        acc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The leaves and roots of Certificate Transparency's reference test
    /// (certificate-transparency `merkle_tree_test.cc`, also used by
    /// Trillian and Go's `transparency-dev/merkle`): independent values, not
    /// computed by this code.
    const CT_LEAVES: [&str; 8] = [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ];
    const CT_ROOTS: [&str; 8] = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    #[test]
    fn certificate_transparency_reference_roots() {
        let leaves: Vec<Vec<u8>> = CT_LEAVES
            .iter()
            .map(|h| hex::decode(h).unwrap_or_default())
            .collect();
        for n in 1..=8 {
            let refs: Vec<&[u8]> = leaves[..n].iter().map(Vec::as_slice).collect();
            assert_eq!(
                hex::encode(merkle_root(&refs)),
                CT_ROOTS[n - 1],
                "{n} leaves"
            );
        }
    }

    #[test]
    fn empty_tree_is_sha256_of_nothing() {
        assert_eq!(
            hex::encode(merkle_root(&[])),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(MerkleBuilder::new().count(), 0);
    }

    /// The recursive definition, written out separately from the builder.
    fn mth(leaves: &[&[u8]]) -> [u8; HASH_LEN] {
        match leaves.len() {
            0 => sha256(b""),
            1 => leaf_hash(leaves[0]),
            n => {
                let mut k = 1;
                while k * 2 < n {
                    k *= 2;
                }
                node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
            }
        }
    }

    #[test]
    fn streaming_matches_the_recursive_definition() {
        let data: Vec<Vec<u8>> = (0..70u32).map(|i| i.to_be_bytes().to_vec()).collect();
        let mut b = MerkleBuilder::new();
        for n in 0..=data.len() {
            let refs: Vec<&[u8]> = data[..n].iter().map(Vec::as_slice).collect();
            assert_eq!(b.root(), mth(&refs), "{n} leaves");
            if n < data.len() {
                b.push(&data[n]);
            }
        }
    }

    #[test]
    fn leaf_and_node_are_domain_separated() {
        let (a, b) = (leaf_hash(b"a"), leaf_hash(b"b"));
        let mut concat = a.to_vec();
        concat.extend_from_slice(&b);
        // A leaf whose data is two hashes must not collide with their node.
        assert_ne!(leaf_hash(&concat), node_hash(&a, &b));
    }
}
