"""The searcharchive benchmark: a corpus generator, query pools, peers and a harness.

python -m bench.generate --size 10000 --out corpus/
python -m bench --size 20000            # see bench/README.md
"""
