//! A small seeded random number generator for the randomised unit tests: the same numbers on
//! every machine, so a failing case is the same case everywhere.

/// Marsaglia's xorshift64: `next` gives the state after one step (never 0 from a non-zero seed).
pub(crate) struct XorShift(pub u64);

impl XorShift {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        let x = &mut self.0;
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        *x
    }

    /// The next number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// `n` of `pieces`, each picked by the next number, end to end: a random text for the
    /// tests that compare two readings of the same text.
    pub fn text(&mut self, pieces: &[&str], n: usize) -> String {
        (0..n)
            .map(|_| pieces[(self.next() % pieces.len() as u64) as usize])
            .collect()
    }
}
