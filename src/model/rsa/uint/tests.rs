//! Big-integer tests: carries and borrows across limbs, conversions, and Montgomery
//! arithmetic against plain long division for moduli of one limb up to 3,400 bits.

use super::*;

fn hex(digits: &str) -> Vec<u8> {
    let digits = if digits.len() % 2 == 1 {
        format!("0{digits}")
    } else {
        digits.to_string()
    };
    digits
        .as_bytes()
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
        .collect()
}

fn big(hex_digits: &str) -> Uint {
    Uint::from_be_bytes(&hex(hex_digits))
}

/// `x mod n` by binary long division: slow, obviously right.
fn reference_mod(x: &Uint, n: &Uint) -> Uint {
    let mut r = Uint::default();
    for i in (0..x.bits()).rev() {
        r = r.add(&r);
        if x.bit(i) {
            r = r.add(&Uint::from_u64(1));
        }
        if let Some(less) = r.sub(n) {
            r = less;
        }
    }
    r
}

fn reference_pow(base: &Uint, exp: &Uint, n: &Uint) -> Uint {
    let mut acc = reference_mod(&Uint::from_u64(1), n);
    for i in (0..exp.bits()).rev() {
        acc = reference_mod(&acc.mul(&acc), n);
        if exp.bit(i) {
            acc = reference_mod(&acc.mul(base), n);
        }
    }
    acc
}

#[test]
fn bytes_convert_with_leading_zeros_dropped_or_padded() {
    assert_eq!(Uint::from_be_bytes(&[0, 0, 1, 2]).to_be_bytes(), vec![1, 2]);
    assert_eq!(Uint::from_be_bytes(&[0, 0, 0]), Uint::default());
    assert_eq!(Uint::default().to_be_bytes(), Vec::<u8>::new());
    assert_eq!(
        Uint::from_be_bytes(&[1, 2]).to_be_bytes_padded(4),
        Some(vec![0, 0, 1, 2])
    );
    assert_eq!(Uint::from_be_bytes(&[1, 2]).to_be_bytes_padded(1), None);
    assert_eq!(Uint::default().to_be_bytes_padded(2), Some(vec![0, 0]));
    let five = [1, 2, 3, 4, 5];
    assert_eq!(Uint::from_be_bytes(&five).limbs, &[0x0203_0405, 1]);
    assert_eq!(Uint::from_be_bytes(&five).to_be_bytes(), five.to_vec());
    assert_eq!(Uint::from_be_bytes(&five).bits(), 33);
    assert_eq!(format!("{:?}", Uint::from_be_bytes(&five)), "0x102030405");
    assert_eq!(format!("{:?}", Uint::default()), "0x0");
}

#[test]
fn addition_subtraction_and_multiplication_carry_across_limbs() {
    let cases = [
        ("ffffffff", "1", "100000000", "fffffffe", "ffffffff"),
        (
            "ffffffffffffffff",
            "ffffffffffffffff",
            "1fffffffffffffffe",
            "0",
            "fffffffffffffffe0000000000000001",
        ),
        (
            "1000000000000000000000000",
            "1",
            "1000000000000000000000001",
            "ffffffffffffffffffffffff",
            "1000000000000000000000000",
        ),
        (
            "ffffffffffffffffffffffff",
            "ffffffffffffffffffffffff",
            "1fffffffffffffffffffffffe",
            "0",
            "fffffffffffffffffffffffe000000000000000000000001",
        ),
        ("0", "0", "0", "0", "0"),
    ];
    for (a, b, sum, difference, product) in cases {
        let (x, y) = (big(a), big(b));
        assert_eq!(x.add(&y), big(sum), "{a} + {b}");
        assert_eq!(y.add(&x), big(sum), "{b} + {a}");
        assert_eq!(x.sub(&y), Some(big(difference)), "{a} − {b}");
        assert_eq!(x.mul(&y), big(product), "{a} × {b}");
        assert_eq!(y.mul(&x), big(product), "{b} × {a}");
    }
    assert_eq!(big("1").sub(&big("100000000")), None);
    assert_eq!(big("ffffffff").sub(&big("100000000")), None);
}

#[test]
fn comparison_looks_at_length_then_limbs_from_the_top() {
    let ascending = [
        "0",
        "1",
        "ffffffff",
        "100000000",
        "100000001",
        "1ffffffff",
        "ffffffffffffffff",
        "10000000000000000",
    ];
    for (i, a) in ascending.iter().enumerate() {
        for (j, b) in ascending.iter().enumerate() {
            assert_eq!(big(a).cmp(&big(b)), i.cmp(&j), "{a} vs {b}");
        }
    }
}

#[test]
fn montgomery_contexts_need_an_odd_modulus_above_one() {
    for refused in ["0", "1", "2", "100000000", "fffffffffffffffe"] {
        assert!(Monty::new(&big(refused)).is_none(), "{refused}");
    }
    for accepted in ["3", "ffffffff", "100000001"] {
        assert!(Monty::new(&big(accepted)).is_some(), "{accepted}");
    }
}

/// The public modulus of a demo key (2,048 bits), and an odd number of half its length.
fn demo_modulus() -> (Uint, Uint) {
    let pem = include_str!("../../../../data/demo-keys/entra-0.pem");
    let key = crate::model::rsa::RsaPrivateKey::from_pkcs8_pem(pem).unwrap();
    let n = key.public_key().n_bytes();
    let half = Uint::from_be_bytes(&n[..128]);
    (
        Uint::from_be_bytes(&n),
        half.add(&Uint::from_u64(u64::from(!half.is_odd()))),
    )
}

fn moduli() -> Vec<(&'static str, Uint)> {
    let (modulus, half) = demo_modulus();
    vec![
        ("3", big("3")),
        ("2^28 − 1 (one full limb)", big("fffffff")),
        ("2^28 + 1", big("10000001")),
        ("2^32 − 1", big("ffffffff")),
        ("2^56 − 1 (two full limbs)", big("ffffffffffffff")),
        ("2^64 + 1", big("10000000000000001")),
        ("2^127 − 1", big("7fffffffffffffffffffffffffffffff")),
        ("2^96 − 2^32 + 1", big("ffffffffffffffff00000001")),
        ("2^255 − 19", big(&format!("7{}ed", "f".repeat(61)))),
        ("1,024 bits", half),
        ("a demo modulus", modulus),
        // Above 3,358 bits the limbs are 24 bits wide.
        ("2^3400 − 1 (24-bit limbs)", big(&"f".repeat(850))),
    ]
}

fn residues(n: &Uint) -> Vec<Uint> {
    let one = Uint::from_u64(1);
    let pattern = Uint::from_be_bytes(&(1..=(n.bits() / 8) as u8).collect::<Vec<_>>());
    let ones = Uint::from_be_bytes(&vec![0xff; n.bits().saturating_sub(1) / 8]);
    vec![
        Uint::default(),
        one.clone(),
        Uint::from_u64(2),
        n.sub(&one).unwrap_or_default(),
        n.sub(&Uint::from_u64(2)).unwrap_or_default(),
        reference_mod(&pattern, n),
        reference_mod(&ones, n),
    ]
}

#[test]
fn limbs_of_every_width_convert_both_ways() {
    for shift in [24, 28] {
        for (name, n) in moduli() {
            let len = n.bits().div_ceil(shift as usize);
            let limbs = to_radix(&n, shift, len);
            assert!(limbs.iter().all(|&l| l < 1 << shift), "{name}, {shift}");
            assert_eq!(from_radix(&limbs, shift), n, "{name}, {shift}");
        }
    }
}

#[test]
fn modular_products_match_plain_arithmetic() {
    for (name, n) in moduli() {
        let m = Monty::new(&n).unwrap();
        for a in residues(&n) {
            for b in residues(&n) {
                assert_eq!(
                    m.mul_mod(&a, &b),
                    Some(reference_mod(&a.mul(&b), &n)),
                    "{name}: {a:?} × {b:?}"
                );
            }
        }
        assert_eq!(m.mul_mod(&n, &Uint::from_u64(1)), None, "{name}: n ≥ n");
    }
}

#[test]
fn numbers_below_the_modulus_times_r_reduce() {
    for (name, n) in moduli() {
        let m = Monty::new(&n).unwrap();
        assert!(r_bits(&m) >= n.bits() + 2, "{name}: R > 4n");
        let r = Uint::from_limbs([vec![0; r_bits(&m) / 32], vec![1 << (r_bits(&m) % 32)]].concat());
        let largest = n.mul(&r).sub(&Uint::from_u64(1)).unwrap();
        for x in [
            Uint::default(),
            n.sub(&Uint::from_u64(1)).unwrap(),
            n.clone(),
            n.add(&Uint::from_u64(12345)),
            n.mul(&n),
            largest.clone(),
        ] {
            assert_eq!(
                m.reduce(&x),
                Some(reference_mod(&x, &n)),
                "{name}: {x:?} mod n"
            );
        }
        assert_eq!(
            m.reduce(&largest.add(&Uint::from_u64(1))),
            None,
            "{name}: n·R"
        );
        assert_eq!(m.reduce(&r.mul(&r)), None, "{name}: R²");
    }
}

#[test]
fn exponentiation_matches_square_and_multiply_for_every_window_size() {
    let exponents = [
        ("0", big("0")),
        ("1", big("1")),
        ("2", big("2")),
        ("3", big("3")),
        ("65537", big("10001")),
        ("2^32 − 1 (one-bit window)", big("ffffffff")),
        (
            "100 bits (three-bit windows)",
            big("8000000000000000000000005"),
        ),
        (
            "300 bits (five-bit windows)",
            big(&format!("9{}", "a5".repeat(37))),
        ),
        ("ones", big(&"f".repeat(80))),
    ];
    // Up to 256-bit moduli: the demo keys' exponentiations are checked against the rsa crate.
    for (name, n) in moduli().into_iter().filter(|(_, n)| n.bits() <= 256) {
        let m = Monty::new(&n).unwrap();
        for base in residues(&n) {
            for (what, e) in &exponents {
                assert_eq!(
                    m.pow_mod(&base, e),
                    Some(reference_pow(&base, e, &n)),
                    "{name}: {base:?}^{what}"
                );
            }
        }
        // A base above n is reduced first.
        let above = n.add(&Uint::from_u64(2));
        assert_eq!(
            m.pow_mod(&above, &big("10001")),
            Some(reference_pow(&Uint::from_u64(2), &big("10001"), &n)),
            "{name}: (n + 2)^65537"
        );
    }
}

#[test]
fn exponentiation_with_wide_limbs_matches_square_and_multiply() {
    let (name, n) = moduli().pop().unwrap();
    let m = Monty::new(&n).unwrap();
    for base in [Uint::from_u64(2), n.sub(&Uint::from_u64(1)).unwrap()] {
        assert_eq!(
            m.pow_mod(&base, &big("10001")),
            Some(reference_pow(&base, &big("10001"), &n)),
            "{name}: {base:?}^65537"
        );
    }
}

/// Every Montgomery product of values below 2n, computed by [`Monty::mul`], is below 2n and
/// congruent to a·b·R⁻¹: checked for moduli of 1 to 9 limbs (odd and even limb counts take
/// different paths through the paired columns) and the demo sizes.
#[test]
fn montgomery_products_stay_below_twice_the_modulus_and_are_exact() {
    // The largest and the smallest odd numbers with `limbs` 28-bit limbs (R > 4n).
    let mut cases: Vec<(String, Uint)> = (1..=9usize)
        .flat_map(|limbs| {
            let bits = 28 * limbs - 2;
            let top = power_of_two(bits - 1);
            [
                (
                    format!("{limbs} limbs, all ones"),
                    top.add(&top).sub(&Uint::from_u64(1)).unwrap(),
                ),
                (
                    format!("{limbs} limbs, 2^{} + 1", bits - 1),
                    top.add(&Uint::from_u64(1)),
                ),
            ]
        })
        .collect();
    cases.extend(moduli().into_iter().map(|(name, n)| (name.to_string(), n)));
    for (name, n) in cases {
        let m = Monty::new(&n).unwrap();
        let len = m.limbs.len();
        let twice = n.add(&n);
        let r = Uint::from_limbs([vec![0; r_bits(&m) / 32], vec![1 << (r_bits(&m) % 32)]].concat());
        let top = twice.sub(&Uint::from_u64(1)).unwrap();
        let values = [
            Uint::default(),
            Uint::from_u64(1),
            n.sub(&Uint::from_u64(1)).unwrap(),
            n.clone(),
            top.clone(),
        ];
        for a in &values {
            for b in &values {
                let product = from_radix(
                    &m.mul(&to_radix(a, m.shift, len), &to_radix(b, m.shift, len)),
                    m.shift,
                );
                assert!(product < twice, "{name}: {a:?}·{b:?} below 2n");
                assert_eq!(
                    reference_mod(&product.mul(&r), &n),
                    reference_mod(&a.mul(b), &n),
                    "{name}: {a:?}·{b:?}·R⁻¹"
                );
            }
        }
    }
}

fn power_of_two(bits: usize) -> Uint {
    let mut limbs = vec![0; bits / 32 + 1];
    limbs[bits / 32] = 1 << (bits % 32);
    Uint::from_limbs(limbs)
}

/// `log₂ R` for a context.
fn r_bits(m: &Monty) -> usize {
    m.shift as usize * m.limbs.len()
}
