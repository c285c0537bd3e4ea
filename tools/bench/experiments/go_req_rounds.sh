#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# go_req_rounds.sh [ROUNDS]: the per-run detection rate of the two
# weakest per-request Go corpus programs at the 20 s.  Each round
# runs the corpus test on go_racy_reqmap and go_racy_reqloopvar with
# CORPUS_SECONDS=20 and prints their result lines ("ok": reported within
# 20 s; "not ok ... TODO": missed).  For an A/B, boot two builds side by
# side, one VM per host core:
#   tools/vm/run --kernel 6.12 --tcg-threads single \
#     --add tools/bench/experiments/go_req_rounds.sh:/rounds.sh \
#     -- /rounds.sh 12
# ROUNDS_ONLY (a CORPUS_ONLY pattern) picks other programs, e.g.
# 'racy_req' for the C ones (their nofp/ builds come with them).
# Results: Documentation/corpus.rst, "Per-request programs in the VM".
n=${1:-10}
only=${ROUNDS_ONLY:-'go_racy_req(map|loopvar) '}
i=0
while [ "$i" -lt "$n" ]; do
	CORPUS_ONLY=$only CORPUS_SECONDS=20 \
		/selftests/corpus/test_corpus.sh 2>&1 |
		grep -aE '^(not )?ok|pair caught|reports in'
	i=$((i + 1))
done
