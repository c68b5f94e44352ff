"""10,000 independent M/M/1 queues in SimPy 3, the model of scenarios/bench/mm1-10k.yaml.

Each queue: Poisson arrivals at rate 0.5/s, exponential service with mean 1 s, one server,
200 s of simulated time (about 100 customers per queue). Written the way SimPy's own
examples write a queue: one Resource per queue, one generator process per queue that
starts a process per customer. Prints the number of customers served and the mean sojourn
time, so the run can be checked against edelear's (and against 1/(mu - lambda) = 2 s).

Run: /usr/bin/python3 bench/simpy/mm1.py [QUEUES] [SECONDS] [SEED]
(Debian: apt-get install python3-simpy3)
"""
import random
import sys

import simpy

QUEUES = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 200.0
SEED = int(sys.argv[3]) if len(sys.argv) > 3 else 1
LAMBDA, MU = 0.5, 1.0

rng = random.Random(SEED)
served = 0
sojourn_total = 0.0


def customer(env, server):
    global served, sojourn_total
    born = env.now
    with server.request() as req:
        yield req
        yield env.timeout(rng.expovariate(MU))
    served += 1
    sojourn_total += env.now - born


def source(env, server):
    while True:
        yield env.timeout(rng.expovariate(LAMBDA))
        env.process(customer(env, server))


env = simpy.Environment()
for _ in range(QUEUES):
    env.process(source(env, simpy.Resource(env, capacity=1)))
env.run(until=SECONDS)
print(f"queues={QUEUES} served={served} mean_sojourn_s={sojourn_total / max(served, 1):.4f}")
