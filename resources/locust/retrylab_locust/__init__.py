# SPDX-License-Identifier: GPL-3.0-or-later
"""Retry Lab's retry policy in Python, for Locust workers.

The modules here mirror Retry Lab's C++ core line for line (core/policy/, core/http/,
core/base/random_source.h) so that a scenario exported with `retrylab --export-locust`
retries on Locust exactly as it does in Retry Lab. tests/tst_locust_parity.cpp feeds the
same decision vectors to both and requires identical decisions and waits.

Only `locust_user` imports Locust; the policy modules need the standard library alone.
"""
