"""Runs that belong to their section, and training calls that stay short (api.py)."""
from __future__ import annotations

import numpy as np
import pytest

from genlab import api

SLOW = {"width": 128, "depth": 4, "batch": 512, "d_steps": 3, "activation": "tanh", "latent": 16}


def test_a_section_starting_runs_keeps_the_other_sections_runs():
    """§3 plays while §4 trains, resets and trains again: neither loses its run."""
    mine = api.gan_start(owner="gan")["run"]
    theirs = [api.gan_start(owner="diffusion-live")["run"] for _ in range(api.GAN_MAX_RUNS + 2)]
    assert api.gan_train(mine, 1)["step"] == 1
    again = api.gan_start(owner="gan")["run"]
    api.gan_start(owner="gan")  # the gan section's own limit drops its own oldest run
    assert api.gan_train(theirs[-1], 1)["step"] == 1
    with pytest.raises(api.RunExpiredError, match=f"GAN run {mine} is unknown or expired"):
        api.gan_view(mine)
    with pytest.raises(ValueError, match=f"GAN run {theirs[0]} is unknown or expired"):
        api.gan_view(theirs[0])
    assert api.gan_view(again)["step"] == 0
    for owner in api.GAN_OWNERS:
        assert sum(o == owner for o in api._GAN_OWNER.values()) == api.GAN_MAX_RUNS


def test_an_unknown_owner_is_refused():
    with pytest.raises(ValueError, match="owner must be one of gan, diffusion-live"):
        api.gan_start(owner="someone")


@pytest.mark.parametrize("budget", [0, -5, 10**6, "40", True])
def test_a_bad_budget_is_refused_before_training(budget):
    run = api.gan_start()["run"]
    with pytest.raises(ValueError, match="budget_ms must be a number from 1 to"):
        api.gan_train(run, 5, budget_ms=budget)
    assert api.gan_view(run)["step"] == 0


def test_a_tiny_budget_makes_one_update_and_a_slow_step_goes_on_next_call():
    """One update of this run (a 512-point batch through four 128-wide tanh layers) takes
    far more than 1 ms, so each call makes exactly one: k = 3 detective updates, then the
    forger's, which completes step 1 on the fourth call."""
    run = api.gan_start(SLOW)["run"]
    calls = [api.gan_train(run, 10, view=False, budget_ms=1) for _ in range(4)]
    assert [c["updates"] for c in calls] == [1, 1, 1, 1]
    assert [c["step"] for c in calls] == [0, 0, 0, 1]
    assert [len(c["losses_d"]) for c in calls] == [0, 0, 0, 1]


def test_budgeted_calls_train_exactly_as_one_long_call():
    whole = api.gan_start(SLOW)["run"]
    out = api.gan_train(whole, 2, view=False)
    pieces = api.gan_start(SLOW)["run"]
    losses = []
    while (reply := api.gan_train(pieces, 2, view=False, budget_ms=1))["step"] < 2:
        losses.append(reply["losses_d"])
    losses.append(reply["losses_d"])
    assert np.array_equal(np.concatenate(losses), out["losses_d"])
    assert np.array_equal(api._GAN_RUNS[pieces].G.flat, api._GAN_RUNS[whole].G.flat)
    assert np.array_equal(api._GAN_RUNS[pieces].D.flat, api._GAN_RUNS[whole].D.flat)


def test_a_budget_never_trains_past_the_steps_asked():
    run = api.gan_start()["run"]
    assert api.gan_train(run, 3, budget_ms=1000)["step"] == 3


def test_diffusion_training_by_budget_takes_at_least_one_step_and_matches_whole_calls():
    whole = api.diffusion_train_start("ring", 2e-3, 0)["run"]
    expected = api.diffusion_train(whole, 6)["losses"]
    pieces = api.diffusion_train_start("ring", 2e-3, 0)["run"]
    losses = []
    while sum(map(len, losses)) < 6:
        reply = api.diffusion_train(pieces, 6 - sum(map(len, losses)), budget_ms=1)
        assert len(reply["losses"]) >= 1
        losses.append(reply["losses"])
    assert np.array_equal(np.concatenate(losses), expected)
    assert api.diffusion_train(pieces, 4, budget_ms=1000)["step"] == 10  # the steps cap holds
