"""Search latency: 200 queries in-process (50 short words, 50 quoted phrases, 50 multi-word queries, 50 questions)
on a database; prints p50 (median) and p99 latency, the CPU time of the median query (what a busy machine changes
least), the queries sent to the database per search, and the index size relative to the text.

    .venv/bin/python scripts/bench_search.py DB [--rounds N]

Each round runs the 200 queries once (after one search that loads the segmenter and the corpus's statistics);
with several rounds each query's best time counts, so that one stall of a shared machine does not."""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time

from gongbao.search.engine import search
from gongbao.store import Store

SHORT = [
    "罚款",
    "粮",
    "税",
    "房屋",
    "车辆",
    "水",
    "电",
    "矿",
    "犬",
    "烟",
    "林地",
    "债务",
    "医疗",
    "学校",
    "补贴",
    "许可",
    "档案",
    "垃圾",
    "噪声",
    "供暖",
    "燃气",
    "户籍",
    "社保",
    "工资",
    "物业",
    "招标",
    "消防",
    "食品",
    "药品",
    "环评",
    "排污",
    "扶贫",
    "养老",
    "托育",
    "就业",
    "农田",
    "河道",
    "湿地",
    "文物",
    "旅游",
    "交通",
    "停车",
    "公交",
    "地铁",
    "电梯",
    "广告",
    "快递",
    "网约车",
    "直播",
    "数据",
]
QUESTIONS = [
    "小区里扔垃圾没分类罚多少钱",
    "开公司需要去哪里办营业执照",
    "工资被拖欠了找哪个部门",
    "酒驾被抓了怎么处罚",
    "电动车上牌需要什么材料",
    "房子漏水物业不管怎么办",
    "老人在养老院受伤谁负责",
    "孩子上学户口不在本地能入学吗",
    "买到过期食品能赔多少",
    "邻居装修噪音太大可以投诉吗",
    "饭店排污水被罚款吗",
    "停车位能不能收费",
    "外卖骑手被撞了谁赔",
    "村里修路的钱谁出",
    "农民工工资保证金怎么交",
    "企业能不能随便辞退怀孕员工",
    "烟花爆竹哪些地方不准放",
    "养狗要不要办证",
    "电梯坏了谁来修",
    "商家预付卡跑路了怎么办",
    "网上买东西七天能不能退货",
    "个体户要交多少税",
    "残疾人就业有什么补贴",
    "失业了能领多少钱",
    "政府信息公开申请多久答复",
    "举报违法建设有没有奖励",
    "环评不通过能开工吗",
    "矿山出事故停产多久",
    "建筑垃圾乱倒罚多少",
    "直播带货卖假货谁负责",
    "城管能不能没收摊贩的东西",
    "非法集资怎么认定",
    "公司名字能不能用财富管理",
    "交通事故抢救费谁先垫付",
    "学校周边能不能开网吧",
    "文物保护单位能拆吗",
    "河道里能不能采砂",
    "占用耕地要交什么费",
    "消防检查多久一次",
    "快递丢了能赔多少",
    "医院乱收费找谁投诉",
    "公交车票价谁定的",
    "供暖不热可以退费吗",
    "燃气泄漏谁来管",
    "招投标弄虚作假有什么后果",
    "食品小作坊要什么许可",
    "广告牌设置要审批吗",
    "数据泄露企业要担什么责任",
    "债务风险事件怎么分级",
    "人大代表建议多久必须答复",
]


def queries(store: Store, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    bodies = [r[0] for r in store.db.execute("SELECT body FROM search_units WHERE length(body) > 40 LIMIT 20000")]
    phrases, combos = [], []
    for _ in range(50):
        b = rng.choice(bodies)
        k = rng.randint(4, 8)
        i = rng.randrange(0, len(b) - k)
        phrases.append(f'"{b[i : i + k]}"')
    for _ in range(50):
        combos.append(" ".join(rng.sample(SHORT, rng.randint(2, 3))))
    return SHORT + phrases + combos + QUESTIONS


def measure(db: str, rounds: int = 1) -> dict:
    with Store(db, readonly=True) as store:
        qs = queries(store)
        search(store, "预热")  # load the segmenter, the dictionary and the corpus's statistics once
        wall = [math.inf] * len(qs)
        cpu = [math.inf] * len(qs)
        sent = store.queries
        for _ in range(rounds):
            for i, q in enumerate(qs):
                c, t = time.process_time(), time.perf_counter()
                search(store, q, limit=10)
                wall[i] = min(wall[i], (time.perf_counter() - t) * 1000)
                cpu[i] = min(cpu[i], (time.process_time() - c) * 1000)
        sent = (store.queries - sent) / (len(qs) * rounds)
        text = store.db.execute("SELECT coalesce(sum(length(CAST(body AS BLOB))), 0) FROM search_units").fetchone()[0]
        index = store.db.execute("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'fts_grams%'").fetchone()[
            0
        ]
    wall.sort()
    return {
        "queries": len(wall),
        "p50_ms": round(statistics.median(wall), 2),
        "median_ms": round(statistics.median(wall), 2),  # (the name bench.py reads)
        "p99_ms": round(wall[max(0, int(len(wall) * 0.99) - 1)], 2),
        "max_ms": round(wall[-1], 2),
        "cpu_p50_ms": round(statistics.median(cpu), 2),
        "db_queries_per_search": round(sent, 2),
        "fts_index_MB": round(index / 1e6, 1),
        "text_MB": round(text / 1e6, 1),
        "index_to_text": round(index / text, 2) if text else None,
    }


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db")
    ap.add_argument("--rounds", type=int, default=1, help="run the queries this many times, keep each one's best")
    a = ap.parse_args()
    print(measure(a.db, a.rounds))
