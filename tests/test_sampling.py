"""Tests for genlab.sampling: softmax with temperature, entropy, drawing, top-k."""

import math

import numpy as np
import pytest

from genlab.sampling import entropy_bits, sample, softmax_t, top_k


def test_softmax_t_known_answer():
    """logits [2, 1, 0] at T = 1 and T = 0.5, worked by hand.

    T = 1:   p = [e^2, e^1, e^0] / (e^2 + e + 1)
               = [7.389056, 2.718282, 1] / 11.107338
               = [0.665241, 0.244728, 0.090031]
    T = 0.5: the logits become [4, 2, 0], so
             p = [e^4, e^2, 1] / (e^4 + e^2 + 1)
               = [54.598150, 7.389056, 1] / 62.987206
               = [0.866813, 0.117310, 0.015876]
    A lower temperature moves probability to the top word.
    """
    z1 = math.exp(2) + math.exp(1) + 1
    z2 = math.exp(4) + math.exp(2) + 1
    expected_t1 = [math.exp(2) / z1, math.exp(1) / z1, 1 / z1]
    expected_t05 = [math.exp(4) / z2, math.exp(2) / z2, 1 / z2]
    p1 = softmax_t([2.0, 1.0, 0.0], 1.0)
    p05 = softmax_t([2.0, 1.0, 0.0], 0.5)
    assert p1.dtype == np.float64 and p05.dtype == np.float64
    np.testing.assert_allclose(p1, expected_t1, rtol=1e-14)
    np.testing.assert_allclose(p05, expected_t05, rtol=1e-14)
    np.testing.assert_allclose(p1, [0.665241, 0.244728, 0.090031], atol=1e-6)
    np.testing.assert_allclose(p05, [0.866813, 0.117310, 0.015876], atol=1e-6)


@pytest.mark.parametrize("shift", [-1000.0, -3.5, 0.0, 7.0, 1000.0])
@pytest.mark.parametrize("temperature", [0.3, 1.0, 2.0])
def test_adding_a_constant_changes_nothing(shift, temperature):
    """exp((l_i + c)/T) = exp(c/T) exp(l_i/T): the factor cancels in the ratio.

    The shift of 1000 also checks numerical safety: exp(1000) overflows, so
    without subtracting the max this would give inf / inf = NaN.
    """
    logits = np.array([2.0, 1.0, 0.0, -1.5, 0.25])
    np.testing.assert_allclose(
        softmax_t(logits + shift, temperature), softmax_t(logits, temperature), atol=1e-12
    )


@pytest.mark.parametrize("temperature", [0, 0.0, 1e-9, -0.0])
def test_zero_temperature_is_argmax(temperature):
    """T -> 0 puts all probability on the top score; ties go to the first index."""
    np.testing.assert_array_equal(softmax_t([0.5, 3.0, -1.0, 2.9], temperature), [0, 1, 0, 0])
    np.testing.assert_array_equal(softmax_t([1.0, 3.0, 3.0, 2.0], temperature), [0, 1, 0, 0])


def test_small_positive_temperature_approaches_argmax():
    """At T = 0.01 a gap of 1 in the logits is a factor e^100 in probability."""
    p = softmax_t([0.5, 3.0, -1.0, 2.0], 0.01)
    assert p[3] / p[1] == pytest.approx(math.exp(-100), rel=1e-9)  # computed, not greedy
    assert p[1] == 1.0 and p[2] == pytest.approx(math.exp(-400), rel=1e-9)


def test_large_temperature_tends_to_uniform():
    """At T = 1e6 every l_i / T is within 1e-5 of 0, so every p_i is about 1/V."""
    p = softmax_t([2.0, 1.0, 0.0, -5.0], 1e6)
    np.testing.assert_allclose(p, 0.25, atol=1e-5)


def test_entropy_grows_with_temperature():
    """Raising T flattens the distribution, so its entropy rises toward log2 V."""
    logits = np.array([3.0, 1.0, 0.5, 0.0, -2.0])
    h = [entropy_bits(softmax_t(logits, t)) for t in (0, 0.25, 0.5, 1, 2, 4, 100)]
    assert h[0] == 0.0
    assert all(a < b for a, b in zip(h, h[1:]))
    assert h[-1] == pytest.approx(math.log2(5), abs=1e-3)


@pytest.mark.parametrize("bad", [-1.0, -1e-12, float("nan"), float("inf"), float("-inf")])
def test_bad_temperature_is_rejected(bad):
    with pytest.raises(ValueError, match="temperature"):
        softmax_t([1.0, 2.0], bad)


@pytest.mark.parametrize("bad", [[1.0, float("nan")], [float("inf"), 0.0], [float("-inf")] * 2, []])
def test_bad_logits_are_rejected(bad):
    with pytest.raises(ValueError):
        softmax_t(bad, 1.0)


def test_masked_logits_get_zero_probability():
    p = softmax_t([1.0, float("-inf"), 1.0], 1.0)
    np.testing.assert_array_equal(p, [0.5, 0.0, 0.5])


def test_softmax_t_works_along_the_last_axis():
    z = np.array([[2.0, 1.0, 0.0], [0.0, 0.0, 5.0]])
    p = softmax_t(z, 1.0)
    np.testing.assert_allclose(p[0], softmax_t(z[0], 1.0))
    np.testing.assert_array_equal(softmax_t(z, 0), [[1, 0, 0], [0, 0, 1]])


def test_entropy_bits_known_answers():
    """Uniform over 8 is log2 8 = 3 bits; a sure thing is 0; a fair coin is 1 (0 log 0 = 0)."""
    assert entropy_bits(np.full(8, 1 / 8)) == pytest.approx(3.0, abs=1e-12)
    assert entropy_bits([1.0, 0.0, 0.0]) == 0.0
    assert entropy_bits([0.5, 0.0, 0.5]) == pytest.approx(1.0, abs=1e-12)


# chi-square critical value, 4 degrees of freedom, upper tail 0.001 (the
# 99.9% quantile): 18.467, from the NIST/SEMATECH e-Handbook of Statistical
# Methods, table 1.3.6.7.4. For 4 dof the tail has the closed form
# P(X > x) = exp(-x/2) (1 + x/2), which the test below checks.
CHI2_999_DF4 = 18.467


def chi_square(counts: np.ndarray, p: np.ndarray) -> float:
    """Pearson's statistic sum (observed - expected)^2 / expected."""
    expected = counts.sum() * p
    return float(((counts - expected) ** 2 / expected).sum())


def test_chi2_critical_value_is_right():
    x = CHI2_999_DF4
    assert math.exp(-x / 2) * (1 + x / 2) == pytest.approx(0.001, rel=1e-3)


def test_sample_frequencies_match_probabilities():
    """20,000 draws from 5 categories pass a chi-square test at the 0.1% level.

    With a fixed seed the test is deterministic. The second half shows the
    test has teeth: the same counts are far off a distribution that only
    swaps two of the probabilities.
    """
    p = softmax_t([2.0, 1.0, 0.0, -1.0, 0.5], 1.0)  # 5 categories -> 4 dof
    draws = sample(p, np.random.default_rng(1234), size=20_000)
    counts = np.bincount(draws, minlength=5)
    assert draws.shape == (20_000,) and draws.dtype == np.int64
    assert chi_square(counts, p) < CHI2_999_DF4
    assert chi_square(counts, p[[0, 2, 1, 3, 4]]) > 10 * CHI2_999_DF4


def test_sample_never_draws_zero_probability_words():
    draws = sample([0.0, 0.5, 0.0, 0.5, 0.0], np.random.default_rng(0), size=5000)
    assert set(draws.tolist()) == {1, 3}
    greedy = softmax_t([0.1, 0.2, 5.0], 0)
    assert (sample(greedy, np.random.default_rng(0), size=100) == 2).all()


@pytest.mark.parametrize("p", [[0.1] * 10, [0.3, 0.3, 0.4000001], [0.2, 0.2, 0.5999999]])
def test_sample_tolerates_sums_slightly_off_one(p):
    assert 0 <= sample(p, np.random.default_rng(0)) < len(p)


def test_sample_is_reproducible_and_returns_int():
    p = softmax_t([1.0, 2.0, 3.0], 1.0)
    a = sample(p, np.random.default_rng(7), size=50)
    b = sample(p, np.random.default_rng(7), size=50)
    np.testing.assert_array_equal(a, b)
    assert isinstance(sample(p, np.random.default_rng(7)), int)


@pytest.mark.parametrize("bad", [[0.5, -0.1, 0.6], [0.0, 0.0], [float("nan"), 1.0], []])
def test_sample_rejects_non_distributions(bad):
    with pytest.raises(ValueError):
        sample(bad, np.random.default_rng(0))


def test_top_k_orders_by_probability_with_stable_ties():
    p = np.array([0.1, 0.4, 0.1, 0.4])
    np.testing.assert_array_equal(top_k(p, 3), [1, 3, 0])
    np.testing.assert_array_equal(top_k(p, 10), [1, 3, 0, 2])
    assert top_k(p, 0).size == 0
    many_ties = np.tile([0.002, 0.008], 100)  # 200 entries, two values
    np.testing.assert_array_equal(top_k(many_ties, 100), np.arange(1, 200, 2))
    with pytest.raises(ValueError):
        top_k(p, -1)
