// RFC 6962 Merkle tree hashes, proofs and their verification (merkle.h).
#include "foodtrace/common/merkle.h"

#include <sodium.h>

#include <bit>

#include "foodtrace/common/crypto.h"

namespace foodtrace::merkle {
namespace {

std::string Hash(unsigned char prefix, std::string_view a, std::string_view b) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, &prefix, 1);
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(a.data()), a.size());
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(b.data()), b.size());
  std::string out(kHashBytes, '\0');
  crypto_hash_sha256_final(&state, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

bool IsPowerOfTwo(std::uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

// The largest power of two strictly below n (n ≥ 2): RFC 6962's split point k.
std::uint64_t SplitPoint(std::uint64_t n) { return std::uint64_t{1} << (63 - std::countl_zero(n - 1)); }

Status Path(std::uint64_t m, std::uint64_t start, std::uint64_t n, const PerfectHashFn& perfect,
            std::vector<std::string>* out) {
  if (n == 1) return Status::Ok();
  const std::uint64_t k = SplitPoint(n);
  const bool left = m < k;
  FT_RETURN_IF_ERROR(left ? Path(m, start, k, perfect, out) : Path(m - k, start + k, n - k, perfect, out));
  auto sibling = left ? RangeHash(start + k, n - k, perfect) : RangeHash(start, k, perfect);
  if (!sibling.ok()) return sibling.status();
  out->push_back(std::move(*sibling));
  return Status::Ok();
}

Status SubProof(std::uint64_t m, std::uint64_t start, std::uint64_t n, bool whole,
                const PerfectHashFn& perfect, std::vector<std::string>* out) {
  if (m == n) {
    if (whole) return Status::Ok();
    auto hash = RangeHash(start, n, perfect);
    if (!hash.ok()) return hash.status();
    out->push_back(std::move(*hash));
    return Status::Ok();
  }
  const std::uint64_t k = SplitPoint(n);
  const bool left = m <= k;
  FT_RETURN_IF_ERROR(left ? SubProof(m, start, k, whole, perfect, out)
                          : SubProof(m - k, start + k, n - k, false, perfect, out));
  auto sibling = left ? RangeHash(start + k, n - k, perfect) : RangeHash(start, k, perfect);
  if (!sibling.ok()) return sibling.status();
  out->push_back(std::move(*sibling));
  return Status::Ok();
}

// Right-shifts fn and sn together until LSB(fn) is set or fn is 0 (RFC 9162's inner loop).
void ShiftWhileEven(std::uint64_t& fn, std::uint64_t& sn) {
  while (fn != 0 && (fn & 1) == 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

}  // namespace

std::string LeafHash(std::string_view leaf) { return Hash(0x00, leaf, {}); }
std::string NodeHash(std::string_view left, std::string_view right) { return Hash(0x01, left, right); }
std::string EmptyRoot() { return Sha256(""); }

Result<std::string> RangeHash(std::uint64_t start, std::uint64_t size, const PerfectHashFn& perfect) {
  if (size == 0) return Status::Invalid("MERKLE_RANGE", "a Merkle range holds at least one leaf");
  if (IsPowerOfTwo(size)) {
    if (start % size != 0) return Status::Invalid("MERKLE_RANGE", "a perfect subtree starts at a multiple of its size");
    const int level = std::countr_zero(size);
    return perfect(level, start >> level);
  }
  const std::uint64_t k = SplitPoint(size);
  auto left = RangeHash(start, k, perfect);
  if (!left.ok()) return left.status();
  auto right = RangeHash(start + k, size - k, perfect);
  if (!right.ok()) return right.status();
  return NodeHash(*left, *right);
}

Result<std::string> Root(std::uint64_t tree_size, const PerfectHashFn& perfect) {
  if (tree_size == 0) return EmptyRoot();
  return RangeHash(0, tree_size, perfect);
}

Result<std::vector<std::string>> InclusionProof(std::uint64_t index, std::uint64_t tree_size,
                                                const PerfectHashFn& perfect) {
  if (index >= tree_size) {
    return Status::Invalid("MERKLE_INDEX", "leaf " + std::to_string(index) + " is not in a tree of " +
                                               std::to_string(tree_size) + " leaves");
  }
  std::vector<std::string> out;
  FT_RETURN_IF_ERROR(Path(index, 0, tree_size, perfect, &out));
  return out;
}

Result<std::vector<std::string>> ConsistencyProof(std::uint64_t old_size, std::uint64_t tree_size,
                                                  const PerfectHashFn& perfect) {
  if (old_size > tree_size) {
    return Status::Invalid("MERKLE_SIZE", "a tree of " + std::to_string(old_size) +
                                              " leaves cannot be a prefix of one of " + std::to_string(tree_size));
  }
  std::vector<std::string> out;
  if (old_size == 0 || old_size == tree_size) return out;
  FT_RETURN_IF_ERROR(SubProof(old_size, 0, tree_size, true, perfect, &out));
  return out;
}

bool VerifyInclusion(std::string_view leaf_hash, std::uint64_t index, std::uint64_t tree_size,
                     const std::vector<std::string>& path, std::string_view root) {
  if (index >= tree_size) return false;
  std::uint64_t fn = index;
  std::uint64_t sn = tree_size - 1;
  std::string r(leaf_hash);
  for (const std::string& p : path) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = NodeHash(p, r);
      ShiftWhileEven(fn, sn);
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && ConstantTimeEquals(r, root);
}

bool VerifyConsistency(std::uint64_t old_size, std::uint64_t tree_size, std::string_view old_root,
                       std::string_view root, const std::vector<std::string>& proof) {
  if (old_size > tree_size) return false;
  if (old_size == 0) return proof.empty();
  if (old_size == tree_size) return proof.empty() && ConstantTimeEquals(old_root, root);
  if (proof.empty()) return false;
  std::vector<std::string> path;
  if (IsPowerOfTwo(old_size)) path.emplace_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  std::uint64_t fn = old_size - 1;
  std::uint64_t sn = tree_size - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = path[0];
  std::string sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const std::string& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      ShiftWhileEven(fn, sn);
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && ConstantTimeEquals(fr, old_root) && ConstantTimeEquals(sr, root);
}

// --- Frontier ---------------------------------------------------------------------------

Result<Frontier> Frontier::ForSize(std::uint64_t size, const PerfectHashFn& perfect) {
  Frontier f;
  std::uint64_t start = 0;
  for (int level = kLevelsMax - 1; level >= 0; --level) {
    const std::uint64_t span = std::uint64_t{1} << level;
    if ((size & span) == 0) continue;
    auto hash = perfect(level, start >> level);
    if (!hash.ok()) return hash.status();
    f.nodes_.push_back(Node{level, start >> level, std::move(*hash)});
    start += span;
  }
  f.size_ = size;
  return f;
}

void Frontier::Append(std::string leaf_hash, const std::function<void(const Node&)>& completed) {
  nodes_.push_back(Node{0, size_, std::move(leaf_hash)});
  ++size_;
  if (completed) completed(nodes_.back());
  while (nodes_.size() >= 2 && nodes_[nodes_.size() - 1].level == nodes_[nodes_.size() - 2].level) {
    Node right = std::move(nodes_.back());
    nodes_.pop_back();
    Node& left = nodes_.back();
    left.hash = NodeHash(left.hash, right.hash);
    left.level += 1;
    left.index >>= 1;
    if (completed) completed(left);
  }
}

std::string Frontier::Root() const {
  if (nodes_.empty()) return EmptyRoot();
  std::string r = nodes_.back().hash;
  for (std::size_t i = nodes_.size() - 1; i-- > 0;) r = NodeHash(nodes_[i].hash, r);
  return r;
}

}  // namespace foodtrace::merkle
