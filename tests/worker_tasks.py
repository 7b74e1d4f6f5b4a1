"""Module-level task functions for tests/test_workers.py (worker processes import them)."""

import os
import time


def square(x):
    return x * x


def sleepy(seconds):
    time.sleep(seconds)
    return seconds


def die(code):
    os._exit(code)


def fail(message):
    raise RuntimeError(message)


def size(data):
    return len(data)


def run(task):
    """Dispatch ("name", arg) to the function of that name."""
    name, arg = task
    functions = {"square": square, "sleepy": sleepy, "die": die, "fail": fail, "size": size}
    return functions[name](arg)


def pid(_):
    return os.getpid()
