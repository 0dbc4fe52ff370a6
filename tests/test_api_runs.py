"""Runs that belong to their section and their page (genlab.api.runs, genlab.api.Session), and
training calls that stay short."""
from __future__ import annotations

import gc
import math
import time

import numpy as np
import pytest

from genlab import api
from genlab.api.runs import RunExpiredError, RunRegistry, train_within

SLOW = {"width": 128, "depth": 4, "batch": 512, "d_steps": 3, "activation": "tanh", "latent": 16}


def test_a_section_starting_runs_keeps_the_other_sections_runs():
    """§3 plays while §4 trains, resets and trains again: neither loses its run."""
    mine = api.gan_start(owner="gan")["run"]
    theirs = [api.gan_start(owner="diffusion-live")["run"] for _ in range(api.gan.GAN_MAX_RUNS + 2)]
    assert api.gan_train(mine, 1)["step"] == 1
    again = api.gan_start(owner="gan")["run"]
    api.gan_start(owner="gan")  # the gan section's own limit drops its own oldest run
    assert api.gan_train(theirs[-1], 1)["step"] == 1
    with pytest.raises(api.RunExpiredError, match=f"GAN run {mine} is unknown or expired"):
        api.gan_view(mine)
    with pytest.raises(ValueError, match=f"GAN run {theirs[0]} is unknown or expired"):
        api.gan_view(theirs[0])
    assert api.gan_view(again)["step"] == 0
    for owner in api.gan.GAN_OWNERS:
        assert len(api.DEFAULT.gan_runs.ids(owner)) == api.gan.GAN_MAX_RUNS


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
    runs = api.DEFAULT.gan_runs
    assert np.array_equal(runs.get(pieces).G.flat, runs.get(whole).G.flat)
    assert np.array_equal(runs.get(pieces).D.flat, runs.get(whole).D.flat)


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


# ---------------------------------------------------------------- the registry's rule


def test_the_registry_drops_the_oldest_runs_of_the_owner_that_adds_one():
    runs = RunRegistry("GAN", cap=2, owners=("a", "b"))
    a1, a2, b1, a3 = runs.add("a1", "a"), runs.add("a2", "a"), runs.add("b1", "b"), runs.add("a3", "a")
    assert [a1, a2, b1, a3] == [1, 2, 3, 4]  # ids count up, whoever adds
    assert runs.ids("a") == [a2, a3] and runs.ids("b") == [b1] and len(runs) == 3
    assert [runs.get(i) for i in (a2, a3, b1)] == ["a2", "a3", "b1"]
    with pytest.raises(RunExpiredError, match=f"^GAN run {a1} is unknown or expired; start a new run$"):
        runs.get(a1)


def test_the_registry_refuses_an_unknown_owner_and_a_bad_id_without_keeping_anything():
    runs = RunRegistry("diffusion", cap=1, owners=("diffusion",))
    with pytest.raises(ValueError, match="owner must be one of diffusion, not 'gan'"):
        runs.add("x", "gan")
    assert len(runs) == 0
    with pytest.raises(ValueError, match="run must be a whole number"):
        runs.get("1")
    with pytest.raises(RunExpiredError, match="diffusion run 1 is unknown"):
        runs.get(1)


def test_the_time_budget_loop():
    """Without a deadline one call asks for every step; with one already passed, exactly one
    call of one step is made; a reason stops the loop and keeps what was done before it."""
    asked = []

    def advance(n):
        asked.append(n)
        return [0.5] * n, ""
    assert train_within(advance, 7, math.inf) == ([0.5] * 7, "", 1) and asked == [7]
    asked.clear()
    assert train_within(advance, 7, time.perf_counter() - 1) == ([0.5], "", 1) and asked == [1]
    replies = iter([([1.0], ""), ([], "the loss became nan")])
    assert train_within(lambda n: next(replies), 5, math.inf) == ([1.0], "the loss became nan", 2)


# ---------------------------------------------------------------- one session per page


def test_a_session_never_sees_another_sessions_runs_or_picture():
    a, b = api.Session(), api.Session()
    run = a.call("gan_start", {})[0]["run"]
    a.call("gan_train", {"run": run, "steps": 2})
    with pytest.raises(RunExpiredError, match=f"GAN run {run} is unknown or expired"):
        b.call("gan_train", {"run": run, "steps": 1})
    same_id = b.call("gan_start", {})[0]["run"]  # ids are per session: B's first run is its own
    assert same_id == run and b.call("gan_view", {"run": same_id})[0]["step"] == 0
    assert a.call("gan_view", {"run": run})[0]["step"] == 2
    live = a.call("diffusion_train_start", {"shape": "ring"})[0]["run"]
    with pytest.raises(RunExpiredError, match=f"diffusion run {live} is unknown"):
        b.call("diffusion_train", {"run": live, "steps": 1})
    a.call("diffusion_image", {"pixels": bytes(4 * 4 * 4), "width": 4, "height": 4})
    assert a.call("diffusion_forward", {"t": 10})[0]["t"] == 10
    with pytest.raises(ValueError, match="no picture yet"):
        b.call("diffusion_forward", {"t": 10})


def test_closing_a_session_frees_its_runs_and_expires_their_ids():
    gc.collect()
    before = api.live_runs()
    s = api.Session()
    gan_run = s.call("gan_start", {"owner": "diffusion-live"})[0]["run"]
    diff_run = s.call("diffusion_train_start", {})[0]["run"]
    assert api.live_runs() == {"gan": before["gan"] + 1, "diffusion": before["diffusion"] + 1}
    s.close()
    gc.collect()
    assert api.live_runs() == before
    with pytest.raises(RunExpiredError):
        s.call("gan_view", {"run": gan_run})
    with pytest.raises(RunExpiredError):
        s.call("diffusion_train", {"run": diff_run})


def test_sessions_share_the_read_only_models():
    api.Session().call("diffusion_sample_digits", {"steps": 2, "n": 1})
    api.Session().call("llm_distribution", {"context": "a", "temperature": 1})
    loads = api.diffusion.shipped.cache_info().misses, api.llm.model.cache_info().misses
    api.Session().call("diffusion_sample_digits", {"steps": 2, "n": 1})
    api.Session().call("llm_distribution", {"context": "a", "temperature": 1})
    assert (api.diffusion.shipped.cache_info().misses, api.llm.model.cache_info().misses) == loads


def test_exactly_the_functions_that_touch_a_pages_state_take_its_session():
    assert api.PER_PAGE == {"gan_start", "gan_train", "gan_view", "gan_corrupt", "diffusion_image",
                            "diffusion_forward", "diffusion_sample_2d", "diffusion_train_start",
                            "diffusion_train", "diffusion_quality", "diffusion_corrupt"}
    with pytest.raises(ValueError, match="unknown function 'nope'"):
        api.Session().call("nope", {})
