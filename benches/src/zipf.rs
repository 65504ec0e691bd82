//! A seeded Zipf sampler over ranks `0..n`: a precomputed cumulative
//! distribution and a binary search per draw.

use rand::Rng;

/// Zipf's law over `n` ranks with exponent `s`: rank `k` (from 0) has
/// weight `1 / (k + 1)^s`. `s = 0` is uniform.
#[derive(Debug, Clone)]
pub struct Zipf {
    /// `cdf[k]`: the probability of a rank ≤ k; the last is 1.
    cdf: Vec<f64>,
}

impl Zipf {
    /// The law over `n` ranks (at least one) with exponent `s` (finite, 0
    /// or more; anything else is treated as 0).
    pub fn new(n: usize, s: f64) -> Self {
        let s = if s.is_finite() && s > 0.0 { s } else { 0.0 };
        let mut acc = 0.0;
        let mut cdf: Vec<f64> = (0..n.max(1))
            .map(|k| {
                acc += ((k + 1) as f64).powf(-s);
                acc
            })
            .collect();
        for c in &mut cdf {
            *c /= acc;
        }
        if let Some(last) = cdf.last_mut() {
            *last = 1.0;
        }
        Self { cdf }
    }

    /// The number of ranks.
    pub fn len(&self) -> usize {
        self.cdf.len()
    }

    /// Whether there are no ranks (never: [`Zipf::new`] makes at least one).
    pub fn is_empty(&self) -> bool {
        self.cdf.is_empty()
    }

    /// The probability of rank `k`.
    pub fn probability(&self, k: usize) -> f64 {
        match k {
            0 => self.cdf.first().copied().unwrap_or(0.0),
            _ if k < self.cdf.len() => self.cdf[k] - self.cdf[k - 1],
            _ => 0.0,
        }
    }

    /// Draw a rank.
    pub fn sample(&self, rng: &mut impl Rng) -> usize {
        let u: f64 = rng.gen();
        self.cdf
            .partition_point(|&c| c <= u)
            .min(self.cdf.len() - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn frequencies_follow_the_law() {
        let z = Zipf::new(1000, 1.2);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut counts = vec![0usize; 1000];
        let draws = 200_000;
        for _ in 0..draws {
            counts[z.sample(&mut rng)] += 1;
        }
        for k in [0, 1, 9] {
            let expected = z.probability(k) * draws as f64;
            let got = counts[k] as f64;
            assert!(
                (got - expected).abs() < 0.05 * expected,
                "rank {k}: {got} vs {expected}"
            );
        }
        assert!(counts[0] > counts[1] && counts[1] > counts[9]);
    }

    #[test]
    fn zero_skew_is_uniform_and_one_rank_is_fine() {
        let z = Zipf::new(4, 0.0);
        for k in 0..4 {
            assert!((z.probability(k) - 0.25).abs() < 1e-12);
        }
        let one = Zipf::new(0, 1.0);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert_eq!(one.len(), 1);
        assert_eq!(one.sample(&mut rng), 0);
    }
}
