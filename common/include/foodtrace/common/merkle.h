// RFC 6962 Merkle trees (Certificate Transparency's tree, also RFC 9162 §2.1): the tree the
// ledger's signed heads commit to, its inclusion and consistency proofs, and their checks.
//
//   leaf hash  = SHA-256(0x00 || leaf)            (the ledger's leaf: a log record's event bytes)
//   node hash  = SHA-256(0x01 || left || right)
//   MTH({})    = SHA-256("")
//   MTH(D[n])  = node hash of MTH(D[0:k]) and MTH(D[k:n]), k the largest power of two < n
//
// Leaves are numbered from 0. A "perfect subtree" (level L, index i) is the 2^L leaves
// [i·2^L, (i+1)·2^L); every range the proofs need is made of such subtrees, so a store that
// keeps some of them (the ledger keeps levels ≥ 8) answers proofs without rehashing the log.
// Every function is pure and thread-safe; Frontier is a value type (not thread-safe).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "foodtrace/common/status.h"

namespace foodtrace::merkle {

inline constexpr std::size_t kHashBytes = 32;
inline constexpr int kLevelsMax = 64;  // a tree of up to 2^64 − 1 leaves

std::string LeafHash(std::string_view leaf);
std::string NodeHash(std::string_view left, std::string_view right);
std::string EmptyRoot();

// The hash of the perfect subtree (level, index). Errors are the store's (IO, CORRUPTION).
using PerfectHashFn = std::function<Result<std::string>(int level, std::uint64_t index)>;

// MTH of the leaves [start, start + size), for a range that is a node of some RFC 6962 tree
// (start a multiple of the smallest power of two ≥ size), from perfect subtrees. size ≥ 1.
// Cost: O(log size) calls of `perfect`.
Result<std::string> RangeHash(std::uint64_t start, std::uint64_t size, const PerfectHashFn& perfect);
// MTH of the first `tree_size` leaves (EmptyRoot() for 0).
Result<std::string> Root(std::uint64_t tree_size, const PerfectHashFn& perfect);

// The audit path of leaf `index` in the tree of `tree_size` leaves, leaf side first (RFC 6962
// PATH). Errors: INVALID_ARGUMENT when index ≥ tree_size; the store's.
Result<std::vector<std::string>> InclusionProof(std::uint64_t index, std::uint64_t tree_size,
                                                const PerfectHashFn& perfect);
// The proof that the tree of `old_size` leaves is a prefix of the tree of `tree_size` leaves
// (RFC 6962 PROOF; empty when old_size is 0 or equal). Errors: INVALID_ARGUMENT when
// old_size > tree_size; the store's.
Result<std::vector<std::string>> ConsistencyProof(std::uint64_t old_size, std::uint64_t tree_size,
                                                  const PerfectHashFn& perfect);

// RFC 9162 §2.1.3.2: true iff `path` proves leaf `index` with `leaf_hash` is in the tree of
// `tree_size` leaves whose root is `root`.
bool VerifyInclusion(std::string_view leaf_hash, std::uint64_t index, std::uint64_t tree_size,
                     const std::vector<std::string>& path, std::string_view root);
// RFC 9162 §2.1.4.2: true iff `proof` shows the tree (old_size, old_root) is a prefix of the tree
// (tree_size, root). old_size 0 is consistent with anything; equal sizes need equal roots and
// an empty proof.
bool VerifyConsistency(std::uint64_t old_size, std::uint64_t tree_size, std::string_view old_root,
                       std::string_view root, const std::vector<std::string>& proof);

// The right edge of a growing tree: the perfect subtrees that make up its first size() leaves
// (largest first). Appending a leaf costs amortised O(1) hashes; Root() costs O(log size).
class Frontier {
 public:
  struct Node {
    int level = 0;
    std::uint64_t index = 0;
    std::string hash;
  };
  Frontier() = default;
  // The frontier of a tree of `size` leaves from its perfect subtrees (those of the binary
  // decomposition of `size`). Errors: the store's.
  static Result<Frontier> ForSize(std::uint64_t size, const PerfectHashFn& perfect);

  // Appends a leaf (its LeafHash). `completed`, when given, sees every perfect subtree this
  // append completes, the leaf itself (level 0) first.
  void Append(std::string leaf_hash, const std::function<void(const Node&)>& completed = nullptr);
  std::string Root() const;
  std::uint64_t size() const { return size_; }
  const std::vector<Node>& nodes() const { return nodes_; }

 private:
  std::vector<Node> nodes_;  // strictly decreasing levels
  std::uint64_t size_ = 0;
};

}  // namespace foodtrace::merkle
