// Reference fingerprints for test/layers/layers5_preprocessing.test.ts: Google's own FarmHash
// (https://github.com/google/farmhash, src/farmhash.cc and farmhash.h; util::Fingerprint64 is the
// farmhashna::Hash64 that TensorFlow's Fingerprint64 and Keras's Hashing use), compiled with this
// harness:  g++ -O1 -I<farmhash>/src farmhash_fingerprints.cc <farmhash>/src/farmhash.cc && ./a.out
// The strings cover every length branch (0, 1-3, 4-7, 8-16, 17-32, 33-64, and the loop past 64).
#include <cstdio>
#include <string>
#include "farmhash.h"

int main() {
  const char* cases[] = {"", "A", "Hello", "keras-ts", "seventeen bytes!!", "a string of thirty-three bytes..!",
                         "this one is longer than sixty-four bytes, to run the main loop of the hash", "12345", "-7"};
  for (const char* c : cases) {
    std::string s(c);
    printf("'%s' %llu\n", c, (unsigned long long)util::Fingerprint64(s.data(), s.size()));
  }
  std::string big(200, 'x');
  for (int i = 0; i < 200; i++) big[i] = 'a' + (i * 7) % 26;  // 'big200'
  printf("'big200' %llu\n", (unsigned long long)util::Fingerprint64(big.data(), big.size()));
}
