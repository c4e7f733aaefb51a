//! Eight bytes at a time: classifying the bytes of a `u64` in one go
//! ("SIMD within a register"), so that scanners over mostly-ASCII news text
//! step from word to word instead of byte to byte. Safe code only: the
//! bytes are packed little-endian, so byte `k` of a slice is bits
//! `8k..8k + 8` and `trailing_zeros() / 8` of a mask is the first match.
//!
//! Every mask sets only the top bit of each matching byte.

/// `0x01` in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;

/// The top bit of every byte.
pub const HIGH: u64 = 0x8080_8080_8080_8080;

/// The first eight bytes of `b` at `at`, little-endian, if there are eight.
#[inline]
pub fn load(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..at.checked_add(8)?).and_then(|c| c.try_into().ok()).map(u64::from_le_bytes)
}

/// Bytes equal to `c`. Exact for any bytes: the low seven bits are added
/// apart from the top bit, so no carry crosses into the next byte.
#[inline]
pub fn equal(x: u64, c: u8) -> u64 {
    let y = x ^ (ONES * u64::from(c));
    !(((y & !HIGH).wrapping_add(!HIGH)) | y) & HIGH
}

/// Bytes in `lo..=hi`, for ASCII bytes only (top bit clear): for such a byte
/// `b`, `b + (0x80 - lo)` has its top bit set exactly when `b >= lo`, and
/// `b + (0x7f - hi)` exactly when `b > hi`; neither sum carries into the
/// next byte.
#[inline]
fn ascii_in_range(x: u64, lo: u8, hi: u8) -> u64 {
    x.wrapping_add(ONES * u64::from(0x80_u8.saturating_sub(lo)))
        & !x.wrapping_add(ONES * u64::from(0x7f_u8.saturating_sub(hi)))
        & HIGH
}

/// ASCII letters among eight ASCII bytes. Setting bit 5 folds upper case
/// onto lower case and moves no other byte into `a..=z`.
#[inline]
pub fn ascii_letters(x: u64) -> u64 {
    ascii_in_range(x | (ONES * 0x20), b'a', b'z')
}

/// ASCII word bytes (letters, digits, `_`) among eight ASCII bytes.
#[inline]
pub fn ascii_word_bytes(x: u64) -> u64 {
    ascii_letters(x) | ascii_in_range(x, b'0', b'9') | equal(x, b'_')
}

/// The index of the first byte whose top bit is set in `mask` (8 for none).
#[inline]
pub fn first(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// The first position at or after `i` whose byte `hit` accepts, or
/// `b.len()`: eight bytes at a time while `hits` (the same test on a packed
/// `u64`, top bit of each accepted byte) finds none, then byte by byte.
#[inline(always)]
pub fn find(b: &[u8], mut i: usize, hits: impl Fn(u64) -> u64, hit: impl Fn(u8) -> bool) -> usize {
    while let Some(x) = load(b, i) {
        let m = hits(x);
        if m != 0 {
            return i + first(m);
        }
        i += 8;
    }
    while b.get(i).is_some_and(|&c| !hit(c)) {
        i += 1;
    }
    i.min(b.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn masks_are_the_byte_tests(b in proptest::collection::vec(any::<u8>(), 8), c in any::<u8>()) {
            let x = load(&b, 0).unwrap_or_default();
            let bit = |m: u64, i: usize| m >> (8 * i + 7) & 1 == 1;
            for (i, &byte) in b.iter().enumerate() {
                prop_assert_eq!(bit(equal(x, c), i), byte == c);
            }
            prop_assert_eq!(equal(x, c) & !HIGH, 0);
            let ascii = x & !HIGH;
            for (i, &byte) in b.iter().enumerate() {
                let byte = byte & 0x7f;
                prop_assert_eq!(bit(ascii_letters(ascii), i), byte.is_ascii_alphabetic(), "{:#x}", byte);
                prop_assert_eq!(bit(ascii_word_bytes(ascii), i), byte.is_ascii_alphanumeric() || byte == b'_');
            }
            prop_assert_eq!((ascii_letters(ascii) | ascii_word_bytes(ascii)) & !HIGH, 0);
        }
    }

    proptest! {
        #[test]
        fn find_is_the_byte_loop(b in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b' '), 0u8..0x80], 0..40), i in 0usize..44) {
            let plain = (i..b.len()).find(|&k| b[k].is_ascii_alphabetic()).unwrap_or(b.len());
            prop_assert_eq!(find(&b, i, ascii_letters, |c| c.is_ascii_alphabetic()), plain);
        }
    }

    #[test]
    fn first_and_load() {
        assert_eq!(first(0), 8);
        assert_eq!(first(HIGH), 0);
        assert_eq!(first(0x80 << 24), 3);
        assert_eq!(load(b"abcdefg", 0), None);
        assert_eq!(load(b"abcdefgh", 0), Some(u64::from_le_bytes(*b"abcdefgh")));
    }
}
