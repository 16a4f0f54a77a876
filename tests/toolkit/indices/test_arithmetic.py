"""The indices' arithmetic against hand-computed examples (toolkit/indices/formula.py)."""

from decimal import Decimal as D

from toolkit.indices import formula

WEIGHTS = {"study": "2", "org_life": "1.5", "contribution": "1", "positive": "1",
           "negative": "2"}


def test_a_full_quarter_is_the_weighted_sum_plus_items():
    # 2×10 + 1.5×5 + 1×20 + 1×0 + 2×(−3) + 5 = 20 + 7.5 + 20 − 6 + 5
    sums = {"study": 10, "org_life": 5, "contribution": 20, "negative": -3}
    assert formula.vanguard_draft(sums=sums, items=D(5), months_present=3,
                                  weights=WEIGHTS) == D("46.50")


def test_a_member_present_two_months_is_scored_on_them_pro_rated_to_a_quarter():
    # 2×10 = 20 over two months → 20 × 3 / 2 = 30; the item −3 is added whole: 27
    assert formula.vanguard_draft(sums={"study": 10}, items=D(-3), months_present=2,
                                  weights=WEIGHTS) == D("27.00")
    # one month: 1.5×7 = 10.5 × 3 = 31.5
    assert formula.vanguard_draft(sums={"org_life": 7}, items=D(0), months_present=1,
                                  weights=WEIGHTS) == D("31.50")
    assert formula.vanguard_draft(sums={"study": 9}, items=D(0), months_present=0,
                                  weights=WEIGHTS) == D("0.00")


def test_rounding_is_half_up_to_the_cent():
    # 0.335 × 1 × 3 / 2 = 0.5025 → 0.50; 0.005 × 1 = 0.005 → 0.01 (half up, not to even)
    assert formula.vanguard_draft(sums={"study": 1}, items=D(0), months_present=2,
                                  weights={**WEIGHTS, "study": "0.335"}) == D("0.50")
    assert formula.vanguard_draft(sums={"study": 1}, items=D(0), months_present=3,
                                  weights={**WEIGHTS, "study": "0.005"}) == D("0.01")


def test_months_present_count_the_joining_month_whole():
    q2 = 2026 * 12 + 3  # April 2026
    assert formula.months_present(joined_month_index=2020 * 12, quarter_month_index=q2) == 3
    assert formula.months_present(joined_month_index=q2, quarter_month_index=q2) == 3  # April
    assert formula.months_present(joined_month_index=q2 + 1, quarter_month_index=q2) == 2  # May
    assert formula.months_present(joined_month_index=q2 + 2, quarter_month_index=q2) == 1  # June
    assert formula.months_present(joined_month_index=q2 + 3, quarter_month_index=q2) == 0


def test_top_share_rounds_up_and_takes_everyone_tied_with_the_last():
    scores = {1: D("46.50"), 2: D("46.50"), 3: D("30"), 4: D("12"), 5: D("0"), 6: D("-2")}
    # 10 % of 6 is 0.6 → one place; the tie at 46.50 gives two stars.
    assert formula.stars(scores=scores, rule="top_share", share=10, threshold=D(0)) == {1, 2}
    # 40 % of 6 is 2.4 → three places: 46.5, 46.5, 30.
    assert formula.stars(scores=scores, rule="top_share", share=40, threshold=D(0)) == {1, 2, 3}
    # Nobody with 0 or less, however large the share.
    assert formula.stars(scores=scores, rule="top_share", share=100, threshold=D(0)) == {
        1, 2, 3, 4}


def test_a_threshold_names_everyone_at_or_above_it():
    scores = {1: D("46.50"), 2: D("30.00"), 3: D("29.99")}
    assert formula.stars(scores=scores, rule="threshold", share=10, threshold=D(30)) == {1, 2}
    assert formula.stars(scores={}, rule="top_share", share=10, threshold=D(30)) == set()


def test_the_fortress_score_is_out_of_a_hundred():
    weights = {"points": "40", "meetings": "30", "dues": "15", "tasks": "15"}
    # 40×0.5 + 30×1 + 15×0.6667 + 15×1 = 75.0005 → 75.00
    shares = {"points": D("0.5"), "meetings": D(1), "dues": D("0.6667"), "tasks": D(1)}
    assert formula.fortress_score(shares=shares, weights=weights) == D("75.00")
    # weights need not sum to 100: 1×1 + 1×0 over 2 (others weighted 0) = 50
    assert formula.fortress_score(
        shares={"points": D(1), "meetings": D(0), "dues": D(1), "tasks": D(1)},
        weights={"points": "1", "meetings": "1", "dues": "0", "tasks": "0"}) == D("50.00")


def test_ties_share_a_rank_and_the_next_rank_skips():
    assert formula.ranks({10: D(80), 11: D(90), 12: D(80), 13: D(70)}) == {
        11: 1, 10: 2, 12: 2, 13: 4}
