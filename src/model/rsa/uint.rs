//! Unsigned big integers for RSA, and Montgomery arithmetic modulo an odd number.
//!
//! [`Uint`] is a plain number in little-endian `u32` limbs: parsing, encoding, comparison,
//! addition, subtraction and schoolbook multiplication. [`Monty`] does the modular work:
//! Montgomery multiplication and sliding-window exponentiation in a redundant radix-2^28 form
//! (see [`Monty`] for why). WebAssembly multiplies 32 × 32 → 64 bits natively; a 64 × 64 →
//! 128-bit product is emulated and slow there, so every product here fits in 64 bits.
//!
//! Everything here is variable-time: it signs only with the published demo keys, so timing
//! reveals nothing secret.

use std::cmp::Ordering;
use std::fmt;

/// `a + b × c + carry` as (low limb, high limb); never overflows 64 bits.
#[inline(always)]
fn mac(a: u32, b: u32, c: u32, carry: u32) -> (u32, u32) {
    let x = u64::from(a) + u64::from(b) * u64::from(c) + u64::from(carry);
    (x as u32, (x >> 32) as u32)
}

/// `a - b - borrow` as (difference, borrow out ∈ {0, 1}).
#[inline(always)]
fn sbb(a: u32, b: u32, borrow: u32) -> (u32, u32) {
    let x = u64::from(a)
        .wrapping_sub(u64::from(b))
        .wrapping_sub(u64::from(borrow));
    (x as u32, (x >> 63) as u32)
}

/// Compares two equal-length little-endian limb slices.
fn cmp_limbs(a: &[u32], b: &[u32]) -> Ordering {
    a.iter().rev().cmp(b.iter().rev())
}

/// `a -= b` over equal lengths; returns the borrow out.
fn sub_assign_limbs(a: &mut [u32], b: &[u32]) -> u32 {
    let mut borrow = 0;
    for (x, &y) in a.iter_mut().zip(b) {
        (*x, borrow) = sbb(*x, y, borrow);
    }
    borrow
}

/// A non-negative integer: little-endian limbs with no zero limb at the top (zero has none).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Uint {
    limbs: Vec<u32>,
}

impl Uint {
    /// The number with these little-endian limbs (zero limbs at the top are dropped).
    pub fn from_limbs(mut limbs: Vec<u32>) -> Uint {
        while limbs.last() == Some(&0) {
            limbs.pop();
        }
        Uint { limbs }
    }

    /// A small number.
    pub fn from_u64(v: u64) -> Uint {
        Uint::from_limbs(vec![v as u32, (v >> 32) as u32])
    }

    /// The number a big-endian byte string denotes (leading zero bytes allowed).
    pub fn from_be_bytes(bytes: &[u8]) -> Uint {
        let limbs = bytes
            .rchunks(4)
            .map(|chunk| chunk.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)))
            .collect();
        Uint::from_limbs(limbs)
    }

    /// Big-endian bytes without leading zeros (zero is the empty string).
    pub fn to_be_bytes(&self) -> Vec<u8> {
        let len = self.bits().div_ceil(8);
        self.to_be_bytes_padded(len).unwrap_or_default()
    }

    /// Big-endian bytes left-padded with zeros to exactly `len` bytes, or `None` when the
    /// number needs more.
    pub fn to_be_bytes_padded(&self, len: usize) -> Option<Vec<u8>> {
        if self.bits().div_ceil(8) > len {
            return None;
        }
        let mut out = vec![0u8; len];
        for (i, byte) in out.iter_mut().rev().enumerate() {
            if let Some(limb) = self.limbs.get(i / 4) {
                *byte = (limb >> (8 * (i % 4))) as u8;
            }
        }
        Some(out)
    }

    /// The limbs zero-extended to `len` (the caller knows the number fits).
    fn padded(&self, len: usize) -> Vec<u32> {
        let mut v = self.limbs.clone();
        v.resize(len.max(v.len()), 0);
        v
    }

    /// The number of significant bits (0 for zero).
    pub fn bits(&self) -> usize {
        match self.limbs.last() {
            None => 0,
            Some(top) => 32 * self.limbs.len() - top.leading_zeros() as usize,
        }
    }

    /// Bit `i` (0 = least significant).
    pub fn bit(&self, i: usize) -> bool {
        self.limbs
            .get(i / 32)
            .is_some_and(|limb| (limb >> (i % 32)) & 1 == 1)
    }

    /// Whether the number is zero.
    pub fn is_zero(&self) -> bool {
        self.limbs.is_empty()
    }

    /// Whether the number is odd.
    pub fn is_odd(&self) -> bool {
        self.limbs.first().is_some_and(|l| l & 1 == 1)
    }

    /// `self + other`.
    pub fn add(&self, other: &Uint) -> Uint {
        let (long, short) = if self.limbs.len() >= other.limbs.len() {
            (self, other)
        } else {
            (other, self)
        };
        let mut out = Vec::with_capacity(long.limbs.len() + 1);
        let mut carry = 0u64;
        for (i, &x) in long.limbs.iter().enumerate() {
            let sum = u64::from(x) + u64::from(short.limbs.get(i).copied().unwrap_or(0)) + carry;
            out.push(sum as u32);
            carry = sum >> 32;
        }
        out.push(carry as u32);
        Uint::from_limbs(out)
    }

    /// `self - other`, or `None` when `other > self`.
    pub fn sub(&self, other: &Uint) -> Option<Uint> {
        if *self < *other {
            return None;
        }
        let mut out = self.limbs.clone();
        let b = other.padded(out.len());
        sub_assign_limbs(&mut out, &b);
        Some(Uint::from_limbs(out))
    }

    /// `self × other` (schoolbook).
    pub fn mul(&self, other: &Uint) -> Uint {
        let mut out = vec![0u32; self.limbs.len() + other.limbs.len()];
        for (i, &a) in self.limbs.iter().enumerate() {
            let mut carry = 0;
            for (o, &b) in out[i..].iter_mut().zip(&other.limbs) {
                (*o, carry) = mac(*o, a, b, carry);
            }
            if let Some(o) = out.get_mut(i + other.limbs.len()) {
                *o = carry;
            }
        }
        Uint::from_limbs(out)
    }
}

impl Ord for Uint {
    fn cmp(&self, other: &Uint) -> Ordering {
        self.limbs
            .len()
            .cmp(&other.limbs.len())
            .then_with(|| cmp_limbs(&self.limbs, &other.limbs))
    }
}

impl PartialOrd for Uint {
    fn partial_cmp(&self, other: &Uint) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Debug for Uint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("0x")?;
        match self.limbs.split_last() {
            None => f.write_str("0"),
            Some((top, rest)) => {
                write!(f, "{top:x}")?;
                rest.iter().rev().try_for_each(|l| write!(f, "{l:08x}"))
            }
        }
    }
}

/// `x` in `len` limbs of `shift` bits each, least significant first (`x < 2^(shift·len)`).
fn to_radix(x: &Uint, shift: u32, len: usize) -> Vec<u64> {
    let mask = (1u64 << shift) - 1;
    let mut out = vec![0u64; len];
    let (mut acc, mut have, mut next) = (0u64, 0u32, 0usize);
    for &limb in &x.limbs {
        acc |= u64::from(limb) << have;
        have += 32;
        while have >= shift {
            if let Some(o) = out.get_mut(next) {
                *o = acc & mask;
            }
            next += 1;
            acc >>= shift;
            have -= shift;
        }
    }
    if let Some(o) = out.get_mut(next) {
        *o = acc;
    }
    out
}

/// The number whose `shift`-bit limbs (each below `2^shift`) are `limbs`.
fn from_radix(limbs: &[u64], shift: u32) -> Uint {
    let mut out = Vec::with_capacity(limbs.len() * shift as usize / 32 + 2);
    let (mut acc, mut have) = (0u64, 0u32);
    for &limb in limbs {
        acc |= limb << have;
        have += shift;
        while have >= 32 {
            out.push(acc as u32);
            acc >>= 32;
            have -= 32;
        }
    }
    out.push(acc as u32);
    Uint::from_limbs(out)
}

/// `s[start..end]`, or an empty slice when out of range (never, for the callers below). Written
/// with `split_at_checked` because the size-optimised release build does not inline slice
/// indexing, and a call per column is a large part of a 1,024-bit product.
#[inline(always)]
fn part<T>(s: &[T], start: usize, end: usize) -> &[T] {
    match s.split_at_checked(end) {
        Some((head, _)) => head.split_at_checked(start).map_or(&[], |(_, tail)| tail),
        None => &[],
    }
}

/// Σ x·y over the pairs of two product-scanning columns at once: column k pairs `x[i]` with
/// `y[i]`, column k + 1 pairs it with `y[i − 1]` (`prev` before the first). Each pair is two
/// products, `[a, m]·[b, n]`, so one pass feeds both halves of a Montgomery product. Loading
/// each `y` once for two columns is what makes this loop fast in WebAssembly engines.
#[inline(always)]
fn columns2(x: &[[u64; 2]], y: &[[u64; 2]], mut prev: [u64; 2]) -> (u64, u64) {
    let (mut k0, mut k1) = (0u64, 0u64);
    for (x, y) in x.iter().zip(y) {
        k0 += x[0] * y[0] + x[1] * y[1];
        k1 += x[0] * prev[0] + x[1] * prev[1];
        prev = *y;
    }
    (k0, k1)
}

/// One product-scanning column: Σ `x[i]·y[i]` over the pairs.
#[inline(always)]
fn column(x: &[[u64; 2]], y: &[[u64; 2]]) -> u64 {
    let mut k0 = 0u64;
    for (x, y) in x.iter().zip(y) {
        k0 += x[0] * y[0] + x[1] * y[1];
    }
    k0
}

/// Arithmetic modulo an odd `n > 1` in Montgomery form.
///
/// A residue `x` is held as `x·R mod n`, `R = 2^(w·L)`, in `L` limbs of `w` = 28 bits stored
/// in `u64`s (24 bits for moduli above 3,300 bits). A product of two limbs has at most 56 bits,
/// so a whole column of a Montgomery product — up to 240 products plus the carry — adds up in
/// one `u64` with no carry handling inside the loop. `R > 4n`, so products of values below
/// `2n` stay below `2n` without a final subtraction; only [`Monty::pow_mod`] and friends bring
/// results down below `n`.
#[derive(Clone, PartialEq, Eq)]
pub struct Monty {
    n: Uint,
    /// The limb width `w`.
    shift: u32,
    mask: u64,
    /// `n` in limbs.
    limbs: Vec<u64>,
    /// `-n⁻¹ mod 2^w`.
    n0inv: u64,
    /// `R² mod n` (below `2n`): a Montgomery product with it enters Montgomery form.
    r2: Vec<u64>,
    /// `R³ mod n` (below `2n`): the same for a number already divided by `R`.
    r3: Vec<u64>,
}

impl fmt::Debug for Monty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Monty({:?})", self.n)
    }
}

/// Working space for Montgomery products modulo one number.
struct Scratch {
    /// `[aᵢ, mᵢ]`: the left factor's limbs beside the reduction multipliers found so far.
    am: Vec<[u64; 2]>,
    /// `[bⱼ, nⱼ]` in reverse order (`j = L − 1` first): the right factor beside the modulus.
    bn: Vec<[u64; 2]>,
    out: Vec<u64>,
}

impl Monty {
    /// The context for modulus `n`, or `None` unless `n` is odd and greater than 1.
    pub fn new(n: &Uint) -> Option<Monty> {
        if !n.is_odd() || n.bits() < 2 {
            return None;
        }
        let bits = n.bits();
        // R = 2^(w·L) > 4n, and a column of at most 2L + 4 products of w-bit limbs plus its
        // carry must fit in 64 bits.
        let (shift, len) = match (bits + 2).div_ceil(28) {
            len if len <= 120 => (28u32, len),
            _ => (24u32, (bits + 2).div_ceil(24)),
        };
        let mask = (1u64 << shift) - 1;
        let limbs = to_radix(n, shift, len);
        // Newton's iteration doubles the correct low bits of an inverse of the odd n₀: three
        // bits (n₀·n₀ ≡ 1 mod 8), then 6, 12, 24, 48.
        let n0 = n.limbs[0];
        let mut inv = n0;
        for _ in 0..4 {
            inv = inv.wrapping_mul(2u32.wrapping_sub(n0.wrapping_mul(inv)));
        }
        let mut m = Monty {
            n: n.clone(),
            shift,
            mask,
            limbs,
            n0inv: u64::from(inv.wrapping_neg()) & mask,
            r2: Vec::new(),
            r3: Vec::new(),
        };
        // 2^w·R mod n by doubling 2^(bits−1) < n up to 2^(w·L + w); it is the Montgomery form
        // of 2^w, and its L-th power is the form of 2^(w·L) = R, which is R² mod n.
        let mut top = vec![0; (bits - 1) / 32 + 1];
        top[(bits - 1) / 32] = 1 << ((bits - 1) % 32);
        let mut x = Uint::from_limbs(top);
        for _ in (bits - 1)..(shift as usize * (len + 1)) {
            x = x.add(&x);
            if let Some(less) = x.sub(n) {
                x = less;
            }
        }
        let form = to_radix(&x, shift, len);
        m.r2 = m.pow(&form, &Uint::from_u64(len as u64));
        m.r3 = m.mul(&m.r2, &m.r2);
        Some(m)
    }

    /// The modulus.
    pub fn modulus(&self) -> &Uint {
        &self.n
    }

    fn scratch(&self) -> Scratch {
        let len = self.limbs.len();
        Scratch {
            am: vec![[0; 2]; len],
            bn: vec![[0; 2]; len],
            out: vec![0; len],
        }
    }

    /// Loads the right factor `b` of the next products into `bn`, beside the modulus.
    fn load_right(&self, b: &[u64], bn: &mut [[u64; 2]]) {
        for ((slot, &bj), &nj) in bn.iter_mut().rev().zip(b).zip(&self.limbs) {
            *slot = [bj, nj];
        }
    }

    /// `out = a·b·R⁻¹ mod n`, below `2n` for `a, b < 2n`, with `b` loaded by
    /// [`Monty::load_right`]. Product scanning: column k of `a·b + m·n` is summed in one
    /// `u64`, `mₖ` chosen to clear its low limb, and the sum shifted down; columns go two at
    /// a time (see [`columns2`]).
    #[inline(never)]
    fn mont_mul(&self, a: &[u64], bn: &[[u64; 2]], am: &mut [[u64; 2]], out: &mut [u64]) {
        let len = self.limbs.len();
        let (shift, mask, n0inv) = (self.shift, self.mask, self.n0inv);
        let [b0, n0] = bn[len - 1];
        let mut acc = 0u64;
        // Columns 0 … L − 1 decide m₀ … m_{L−1}.
        let mut k = 0;
        while k < len {
            let off = len - 1 - k;
            let ak = a[k];
            if k + 1 < len {
                let (c0, c1) = columns2(part(am, 0, k), part(bn, off, len - 1), bn[off - 1]);
                acc += c0 + ak * b0;
                let mk = ((acc & mask) * n0inv) & mask;
                am[k] = [ak, mk];
                acc = (acc + mk * n0) >> shift;
                let [b1, n1] = bn[len - 2];
                let ak1 = a[k + 1];
                acc += c1 + ak * b1 + mk * n1 + ak1 * b0;
                let mk1 = ((acc & mask) * n0inv) & mask;
                am[k + 1] = [ak1, mk1];
                acc = (acc + mk1 * n0) >> shift;
                k += 2;
            } else {
                acc += column(part(am, 0, k), part(bn, off, len - 1)) + ak * b0;
                let mk = ((acc & mask) * n0inv) & mask;
                am[k] = [ak, mk];
                acc = (acc + mk * n0) >> shift;
                k += 1;
            }
        }
        // Columns L … 2L − 2 are the result's limbs; what is left over is the top limb.
        while k < 2 * len - 1 {
            let low = k + 1 - len;
            if k + 1 < 2 * len - 1 {
                let (c0, c1) = columns2(part(am, low, len), bn, [0, 0]);
                acc += c0;
                out[k - len] = acc & mask;
                acc = (acc >> shift) + c1;
                out[k + 1 - len] = acc & mask;
                acc >>= shift;
                k += 2;
            } else {
                acc += column(part(am, low, len), bn);
                out[k - len] = acc & mask;
                acc >>= shift;
                k += 1;
            }
        }
        out[len - 1] = acc;
    }

    /// `a·b·R⁻¹ mod n` (below `2n`) for `a, b < 2n` in limbs.
    fn mul(&self, a: &[u64], b: &[u64]) -> Vec<u64> {
        let mut s = self.scratch();
        self.load_right(b, &mut s.bn);
        self.mont_mul(a, &s.bn, &mut s.am, &mut s.out);
        s.out
    }

    /// `t·R⁻¹ mod n` (below `2n`) for a double-width `t < n·R` in `2L` limbs: the reduction
    /// half of [`Monty::mont_mul`], one column at a time (it runs twice per signature).
    fn redc(&self, t: &[u64]) -> Vec<u64> {
        let len = self.limbs.len();
        let (shift, mask, n0inv) = (self.shift, self.mask, self.n0inv);
        let mut m = vec![0u64; len];
        let mut out = vec![0u64; len];
        let mut acc = 0u64;
        for k in 0..2 * len - 1 {
            let low = (k + 1).saturating_sub(len);
            for (i, &mi) in m.iter().enumerate().take(k.min(len)).skip(low) {
                acc += mi * self.limbs[k - i];
            }
            acc += t[k];
            if k < len {
                m[k] = ((acc & mask) * n0inv) & mask;
                acc += m[k] * self.limbs[0];
            } else {
                out[k - len] = acc & mask;
            }
            acc >>= shift;
        }
        out[len - 1] = acc + t[2 * len - 1];
        out
    }

    /// The Montgomery form (below `2n`) of `x mod n`, for `x < n·R`; `None` for larger `x`.
    fn to_mont(&self, x: &Uint) -> Option<Vec<u64>> {
        let len = self.limbs.len();
        if *x < self.n {
            return Some(self.mul(&to_radix(x, self.shift, len), &self.r2));
        }
        if x.bits() > 2 * len * self.shift as usize {
            return None;
        }
        let wide = to_radix(x, self.shift, 2 * len);
        if from_radix(&wide[len..], self.shift) >= self.n {
            return None;
        }
        Some(self.mul(&self.redc(&wide), &self.r3))
    }

    /// The number below `n` whose Montgomery form is `x` (below `2n`).
    fn leave_mont(&self, x: &[u64]) -> Uint {
        let mut one = vec![0u64; self.limbs.len()];
        one[0] = 1;
        // x·R⁻¹ ≤ n: equal to n only when x ≡ 0.
        let y = from_radix(&self.mul(x, &one), self.shift);
        y.sub(&self.n).unwrap_or(y)
    }

    /// `x mod n`, for `x < n·R` (`R > 4n`: any `x` below `4n²` qualifies); `None` for larger
    /// `x`.
    pub fn reduce(&self, x: &Uint) -> Option<Uint> {
        if *x < self.n {
            return Some(x.clone());
        }
        self.to_mont(x).map(|f| self.leave_mont(&f))
    }

    /// `a·b mod n` for `a, b < n`; `None` if either is not below `n`.
    pub fn mul_mod(&self, a: &Uint, b: &Uint) -> Option<Uint> {
        if *a >= self.n || *b >= self.n {
            return None;
        }
        let len = self.limbs.len();
        // (a·b·R⁻¹)·R²·R⁻¹ = a·b, then out of the redundant range.
        let ab = self.mul(&to_radix(a, self.shift, len), &to_radix(b, self.shift, len));
        let y = from_radix(&self.mul(&ab, &self.r2), self.shift);
        Some(y.sub(&self.n).unwrap_or(y))
    }

    /// `base^exp mod n`, for `base < n·R`; `None` for a larger base.
    pub fn pow_mod(&self, base: &Uint, exp: &Uint) -> Option<Uint> {
        let form = self.to_mont(base)?;
        if exp.is_zero() {
            return Some(Uint::from_u64(1));
        }
        Some(self.leave_mont(&self.pow(&form, exp)))
    }

    /// `base^exp` for a Montgomery form `base` and `exp ≥ 1`, in Montgomery form: left-to-right
    /// sliding windows of up to five bits over the odd powers `base, base³, …, base³¹` (one
    /// bit, plain square-and-multiply, for short exponents such as 65537).
    fn pow(&self, base: &[u64], exp: &Uint) -> Vec<u64> {
        let len = self.limbs.len();
        let mut s = self.scratch();
        let bits = exp.bits();
        let window = match bits {
            0..=32 => 1,
            33..=256 => 3,
            _ => 5,
        };
        // table[k]: base^(2k+1), loaded as a right factor.
        let mut table = Vec::with_capacity(1 << (window - 1));
        let mut right = vec![[0u64; 2]; len];
        self.load_right(base, &mut right);
        table.push(right);
        if window > 1 {
            let mut square = vec![[0u64; 2]; len];
            self.mont_mul(base, &table[0], &mut s.am, &mut s.out);
            self.load_right(&s.out, &mut square);
            let mut power = base.to_vec();
            for _ in 1..1 << (window - 1) {
                self.mont_mul(&power, &square, &mut s.am, &mut s.out);
                power.copy_from_slice(&s.out);
                let mut right = vec![[0u64; 2]; len];
                self.load_right(&power, &mut right);
                table.push(right);
            }
        }
        let mut acc = vec![0u64; len];
        let mut started = false;
        let mut i = bits;
        while i > 0 {
            i -= 1;
            // The longest window [low, i] of at most `window` bits ending in a one (just bit i
            // when it is zero).
            let mut low = i;
            if exp.bit(i) {
                low = i.saturating_sub(window - 1);
                while !exp.bit(low) {
                    low += 1;
                }
            }
            for _ in low..=i {
                if started {
                    self.load_right(&acc, &mut s.bn);
                    self.mont_mul(&acc, &s.bn, &mut s.am, &mut s.out);
                    std::mem::swap(&mut acc, &mut s.out);
                }
            }
            if exp.bit(i) {
                let value = (low..=i)
                    .rev()
                    .fold(0usize, |v, j| (v << 1) | usize::from(exp.bit(j)));
                let entry = &table[value >> 1];
                if started {
                    self.mont_mul(&acc, entry, &mut s.am, &mut s.out);
                    std::mem::swap(&mut acc, &mut s.out);
                } else {
                    for (slot, pair) in acc.iter_mut().zip(entry.iter().rev()) {
                        *slot = pair[0];
                    }
                    started = true;
                }
            }
            i = low;
        }
        acc
    }
}

#[cfg(test)]
mod tests;
