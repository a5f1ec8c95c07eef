// Proves the RFC 6962 tree: roots match the specification's recursion and its known vectors,
// every inclusion and consistency proof verifies, and altered proofs, roots or sizes do not.
#include <catch2/catch.hpp>

#include "foodtrace/common/crypto.h"
#include "foodtrace/common/merkle.h"
#include "foodtrace/common/signing.h"
#include "foodtrace/common/text.h"

using namespace foodtrace;
using namespace foodtrace::merkle;

namespace {

// MTH straight from RFC 6962 §2.1, for leaves [start, start + n).
std::string NaiveRoot(const std::vector<std::string>& leaves, std::size_t start, std::size_t n) {
  if (n == 0) return EmptyRoot();
  if (n == 1) return LeafHash(leaves[start]);
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  return NodeHash(NaiveRoot(leaves, start, k), NaiveRoot(leaves, start + k, n - k));
}

std::vector<std::string> Leaves(std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back("event " + std::to_string(i));
  return out;
}

PerfectHashFn PerfectOf(const std::vector<std::string>& leaves) {
  return [&leaves](int level, std::uint64_t index) -> Result<std::string> {
    const std::size_t size = std::size_t{1} << level;
    if ((index + 1) * size > leaves.size()) return Status::NotFound("beyond the leaves");
    return NaiveRoot(leaves, index * size, size);
  };
}

}  // namespace

TEST_CASE("the tree hashes match RFC 6962's known values", "[merkle]") {
  CHECK(HexEncode(EmptyRoot()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // The leaf hash of the empty leaf (Certificate Transparency's test vector).
  CHECK(HexEncode(LeafHash("")) == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  const std::vector<std::string> one{""};
  auto root = Root(1, PerfectOf(one));
  REQUIRE(root.ok());
  CHECK(*root == LeafHash(""));
}

TEST_CASE("roots from perfect subtrees and from a growing frontier equal the recursive definition",
          "[merkle]") {
  const auto leaves = Leaves(70);
  Frontier frontier;
  std::vector<Frontier::Node> completed;
  for (std::size_t n = 0; n <= leaves.size(); ++n) {
    INFO("tree size " << n);
    const std::string want = NaiveRoot(leaves, 0, n);
    auto root = Root(n, PerfectOf(leaves));
    REQUIRE(root.ok());
    CHECK(*root == want);
    CHECK(frontier.Root() == want);
    auto rebuilt = Frontier::ForSize(n, PerfectOf(leaves));
    REQUIRE(rebuilt.ok());
    CHECK(rebuilt->Root() == want);
    if (n < leaves.size()) {
      frontier.Append(LeafHash(leaves[n]), [&](const Frontier::Node& node) { completed.push_back(node); });
    }
  }
  // Every completed node is the perfect subtree it names, and each appears once.
  CHECK(completed.size() == 70 + 35 + 17 + 8 + 4 + 2 + 1);
  for (const auto& node : completed) {
    const std::size_t size = std::size_t{1} << node.level;
    CHECK(node.hash == NaiveRoot(leaves, node.index * size, size));
  }
}

TEST_CASE("every inclusion proof verifies, and a changed leaf, index, path or root does not",
          "[merkle]") {
  const auto leaves = Leaves(33);
  for (std::uint64_t n = 1; n <= leaves.size(); ++n) {
    const std::string root = NaiveRoot(leaves, 0, n);
    for (std::uint64_t m = 0; m < n; ++m) {
      INFO("leaf " << m << " of " << n);
      auto path = InclusionProof(m, n, PerfectOf(leaves));
      REQUIRE(path.ok());
      const std::string leaf = LeafHash(leaves[m]);
      CHECK(VerifyInclusion(leaf, m, n, *path, root));
      CHECK_FALSE(VerifyInclusion(LeafHash("forged"), m, n, *path, root));
      if (n > 1) CHECK_FALSE(VerifyInclusion(leaf, (m + 1) % n, n, *path, root));
      CHECK_FALSE(VerifyInclusion(leaf, m, n, *path, LeafHash("other root")));
      if (!path->empty()) {
        auto bad = *path;
        bad.back()[0] ^= 1;
        CHECK_FALSE(VerifyInclusion(leaf, m, n, bad, root));
        bad = *path;
        bad.pop_back();
        CHECK_FALSE(VerifyInclusion(leaf, m, n, bad, root));
      }
    }
  }
  CHECK_FALSE(InclusionProof(5, 5, PerfectOf(leaves)).ok());
}

TEST_CASE("every consistency proof verifies, and a rewritten history does not", "[merkle]") {
  const auto leaves = Leaves(33);
  auto rewritten = leaves;
  rewritten[3] = "rewritten";
  for (std::uint64_t n = 1; n <= leaves.size(); ++n) {
    const std::string root = NaiveRoot(leaves, 0, n);
    for (std::uint64_t m = 0; m <= n; ++m) {
      INFO("old size " << m << ", new size " << n);
      const std::string old_root = NaiveRoot(leaves, 0, m);
      auto proof = ConsistencyProof(m, n, PerfectOf(leaves));
      REQUIRE(proof.ok());
      CHECK(VerifyConsistency(m, n, old_root, root, *proof));
      if (m > 3 && m < n) {
        // A server that rewrote leaf 3 after publishing the old head cannot prove consistency.
        auto forged = ConsistencyProof(m, n, PerfectOf(rewritten));
        REQUIRE(forged.ok());
        CHECK_FALSE(VerifyConsistency(m, n, old_root, NaiveRoot(rewritten, 0, n), *forged));
      }
      if (m > 0 && m < n) {
        CHECK_FALSE(VerifyConsistency(m, n, LeafHash("other"), root, *proof));
        auto bad = *proof;
        bad.front()[5] ^= 1;
        CHECK_FALSE(VerifyConsistency(m, n, old_root, root, bad));
      }
    }
  }
  CHECK_FALSE(ConsistencyProof(6, 5, PerfectOf(leaves)).ok());
  CHECK_FALSE(VerifyConsistency(6, 5, "", "", {}));
}

TEST_CASE("an Ed25519 signature verifies only with its key and its exact message", "[merkle][signing]") {
  const SigningKeyPair pair = GenerateSigningKeyPair();
  auto again = SigningKeyFromSecret(pair.secret_key);
  REQUIRE(again.ok());
  CHECK(again->public_key == pair.public_key);
  const std::string signature = Sign(pair.secret_key, "head 42");
  CHECK(VerifySignature(pair.public_key, "head 42", signature));
  CHECK_FALSE(VerifySignature(pair.public_key, "head 43", signature));
  CHECK_FALSE(VerifySignature(GenerateSigningKeyPair().public_key, "head 42", signature));
  CHECK_FALSE(VerifySignature(pair.public_key, "head 42", signature.substr(1)));
  std::string tampered = pair.secret_key;
  tampered[40] ^= 1;  // the public half no longer belongs to the seed
  CHECK_FALSE(SigningKeyFromSecret(tampered).ok());
  CHECK_FALSE(SigningKeyFromSecret("short").ok());
  CHECK(HexDecode(HexEncode(signature)) == signature);
  CHECK_FALSE(HexDecode("abc").has_value());
  CHECK_FALSE(HexDecode("zz").has_value());
}
