"""基准测试 (benchmark): ``python -m baihe_desk.bench`` — see ``__main__`` for what it measures."""
