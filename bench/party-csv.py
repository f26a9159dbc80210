#!/usr/bin/env python3
"""Writes the party.daily import files for bench/party-scale.sh: a tree of party organisations
and the members of its branches, as the CSV files a user would upload (UTF-8, header first).

    bench/party-csv.py --orgs N --members N --out DIR [--seed S]

DIR/orgs.csv: 党组织代码,党组织全称,简称,党组织类别,上级党组织,建立日期 -- a province-like tree
5 levels deep, 1 -> ~10 -> ~100 -> ~1000 -> the rest as branches (党支部), each level at
most 10 times the one above (smaller trees grow by a smaller factor, as in
plugins/party.daily/src/demo_data.cpp). Parents come before their children; the top
organisation has no parent (it goes under the importing user's own unit).

DIR/members.csv: 姓名,公民身份号码,性别,出生日期,民族,学历,所在党组织,人员类别,入党日期,转正日期,手机
-- every member in a random branch, with a unique valid 18-digit ID number (GB 11643 check
digit; the i-th value of a permutation of area x birth day x sequence, like the demo
generator), gender and birth date matching it, joined at 18 or older, probationary exactly
when the join date is less than a year ago.

Prints key=value lines on stdout: the level sizes and three organisation codes to query --
top (the whole tree), middle (the first organisation of the third level) and branch (the
first branch under middle) -- with how many members each holds. Same seed, same files.
Standard library only.
"""
import argparse
import datetime as dt
import math
import os
import random
import sys

SURNAMES = "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 董 袁 潘 于 蒋 蔡".split()
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅海燕鹏飞晓东宇轩雪琳子涵浩然思远嘉欣"
PLACES = "青山东风南湖北岭西河新华长宁安平和顺金沙白云红星永丰光明建设朝阳胜利黎明"
# Area codes of real districts (the first 6 digits of an ID number).
AREAS = ("110101 110105 310101 310115 440103 440106 510104 510107 320102 330102 420102 610102 "
         "370102 210102 120101 500103 430102 350102 410102 130102").split()
# Education as people write it (labels and GB/T 4658 codes mixed), with weights per mille.
EDUCATION = [("14", 60), ("大学本科", 330), ("31", 230), ("41", 90), ("61", 140), ("71", 120), ("81", 30)]
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECKS = "10X98765432"
DEPTH = 5
SUFFIX = ["省", "市", "县"]


def level_sizes(total):
    """1, f, f^2, f^3 and the rest, with f <= 10 so that they add up to `total`."""
    lo, hi = 1.0, float(total)
    for _ in range(60):
        f = (lo + hi) / 2
        (hi, lo) = (f, lo) if sum(f ** k for k in range(DEPTH)) > total else (hi, f)
    f = min(10.0, lo)
    sizes = [max(1, round(f ** k)) for k in range(DEPTH - 1)]
    sizes.append(total - sum(sizes))
    if sizes[-1] < sizes[-2]:
        sys.exit(f"party-csv: --orgs {total} is too few for a tree {DEPTH} levels deep")
    return sizes


def check_digit(first17):
    return CHECKS[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]


def plus_years(d, years):
    """d moved by whole years; 29 February becomes 1 March (never earlier than a birthday)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return dt.date(d.year + years, 3, 1)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--orgs", type=int, required=True)
    p.add_argument("--members", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=20261125)
    a = p.parse_args()
    if a.orgs < DEPTH or a.members < 1:
        sys.exit(f"party-csv: need at least {DEPTH} organisations and 1 member")
    rng = random.Random(a.seed)
    today = dt.date.today()
    os.makedirs(a.out, exist_ok=True)

    # The tree, level by level (so parents come first); children spread evenly over parents.
    sizes = level_sizes(a.orgs)
    parent_of = {}
    levels = []
    number = 0
    with open(os.path.join(a.out, "orgs.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("党组织代码,党组织全称,简称,党组织类别,上级党组织,建立日期\r\n")
        parents = [("", "")]  # code, short name
        for level, size in enumerate(sizes):
            last = level == DEPTH - 1
            made = []
            children = [0] * len(parents)
            for j in range(size):
                pi = j * len(parents) // size
                parent, parent_name = parents[pi]
                children[pi] += 1
                number += 1
                code = f"D{number:07d}"
                if last:
                    short = f"第{children[pi]}党支部"
                    full, kind = f"中共{parent_name}{short}", "党支部"
                else:
                    place = rng.choice(PLACES) + rng.choice(PLACES)
                    if level < 3:
                        short, full, kind = f"{place}{SUFFIX[level]}委", f"中共{place}{SUFFIX[level]}委员会", "党委"
                    else:
                        short = f"{place}第{children[pi]}党总支"
                        full, kind = f"中共{parent_name}{short}", "党总支"
                setup = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(25567))
                f.write(f"{code},{full},{short},{kind},{parent},{setup.isoformat()}\r\n")
                parent_of[code] = parent
                made.append((code, short))
            levels.append([c for c, _ in made])
            parents = made
    branches = levels[-1]
    top, middle = levels[0][0], levels[2][0]
    branch = next(b for b in branches if parent_of[parent_of[b]] == middle)

    # Members: ID numbers unique by construction (a permutation of area x birth day x sequence).
    first_birth, last_birth = dt.date(1940, 1, 1), plus_years(today, -19)
    areas, days = len(AREAS), (last_birth - first_birth).days + 1
    space = areas * days * 1000
    step = 1_000_003
    while math.gcd(step, space) != 1:
        step += 2
    offset = rng.randrange(space)
    latest_join = today - dt.timedelta(days=3)  # a margin for the host's clock and time zone
    year_ago = plus_years(today, -1)
    edu_names = [e for e, _ in EDUCATION]
    edu_weights = [w for _, w in EDUCATION]
    per_branch = {}
    with open(os.path.join(a.out, "members.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("姓名,公民身份号码,性别,出生日期,民族,学历,所在党组织,人员类别,入党日期,转正日期,手机\r\n")
        out = []
        for i in range(a.members):
            x = (i * step + offset) % space
            birth = first_birth + dt.timedelta(days=(x // areas) % days)
            first17 = f"{AREAS[x % areas]}{birth:%Y%m%d}{x // (areas * days):03d}"
            male = int(first17[16]) % 2 == 1
            adult = plus_years(birth, 18)
            until = min(latest_join, plus_years(birth, 58))
            joined = adult + dt.timedelta(days=rng.randrange((until - adult).days + 1))
            if abs((joined - year_ago).days) <= 3:  # too close to a year ago to be sure of the category
                joined += dt.timedelta(days=7)
            probationary = joined > year_ago
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(1 if rng.randrange(4) == 0 else 2))
            ethnicity = "汉族" if rng.randrange(100) < 91 else f"{2 + rng.randrange(55):02d}"
            education = rng.choices(edu_names, edu_weights)[0]
            unit = rng.choice(branches)
            per_branch[unit] = per_branch.get(unit, 0) + 1
            out.append(",".join((
                name, first17 + check_digit(first17), "男" if male else "女", birth.isoformat(), ethnicity, education, unit,
                "预备党员" if probationary else "正式党员", joined.isoformat(),
                "" if probationary else plus_years(joined, 1).isoformat(), f"13{100000000 + rng.randrange(900000000)}")))
            if len(out) == 10000:
                f.write("\r\n".join(out) + "\r\n")
                out.clear()
        if out:
            f.write("\r\n".join(out) + "\r\n")

    def members_under(code):
        total = 0
        for b, n in per_branch.items():
            while b and b != code:
                b = parent_of[b]
            total += n if b else 0
        return total

    print("levels=" + "/".join(str(s) for s in sizes))
    print(f"top={top}\ntop_members={a.members}")
    print(f"middle={middle}\nmiddle_members={members_under(middle)}")
    print(f"branch={branch}\nbranch_members={per_branch.get(branch, 0)}")


if __name__ == "__main__":
    main()
