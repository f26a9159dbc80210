#!/usr/bin/python3
"""Makes the spreadsheet files the import tests read, with the tools people use.

Run it from anywhere (Debian: apt-get install python3-openpyxl libreoffice-calc-nogui);
it rewrites the files beside it. The files are committed, so the tests need neither tool.
openpyxl writes what openpyxl writes (formulas without a cached value, dates as styled
numbers, the 1904 date system on request); LibreOffice recalculates and saves formulas
with their cached values, as Excel does.
"""

import datetime
import io
import os
import shutil
import subprocess
import tempfile
import zipfile

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


def date1904():
    """A workbook in the 1904 date system (Excel for Mac before 2011 made them)."""
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.append(["name", "date"])
    ws.append(["a", datetime.date(2024, 5, 1)])
    ws["B2"].number_format = "yyyy-mm-dd"
    wb.save(path("date1904.xlsx"))


def cells():
    """Formulas (without cached values: openpyxl never calculates), error values, a
    date-time, a date and numbers; then the same recalculated and saved by LibreOffice."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "cells"
    ws.append(["text", "formula", "error", "datetime", "date", "number"])
    ws.append(["ab", "=A2&\"c\"", "#N/A", datetime.datetime(2024, 5, 1, 8, 30), datetime.date(1990, 7, 1), 1012345678])
    ws.append(["x", "=1+1", "#VALUE!", None, None, 3.5])
    ws["D2"].number_format = "yyyy-mm-dd hh:mm"
    ws["E2"].number_format = "yyyy/m/d"
    wb.save(path("cells-openpyxl.xlsx"))
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(["soffice", "--headless", "-env:UserInstallation=file://" + out + "/profile",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out, path("cells-openpyxl.xlsx")],
                       check=True, stdout=subprocess.DEVNULL)
        shutil.copy(os.path.join(out, "cells-openpyxl.xlsx"), path("cells-libreoffice.xlsx"))


def phonetic():
    """Shared strings with phonetic guides, as Excel writes them for Japanese names (and for
    Chinese with a pinyin guide). openpyxl cannot write them: its file is edited so."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["name"])
    ws.append(["東京"])
    ws.append(["张伟"])
    buffer = io.BytesIO()
    wb.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    with zipfile.ZipFile(path("phonetic.xlsx"), "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                data = data.decode("utf-8")
                data = data.replace("<si><t>東京</t></si>",
                                    '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh>'
                                    '<phoneticPr fontId="1" type="noConversion"/></si>')
                data = data.replace("<si><t>张伟</t></si>",
                                    '<si><r><t>张</t></r><r><t>伟</t></r><rPh sb="0" eb="1"><t>zhāng</t></rPh>'
                                    '<rPh sb="1" eb="2"><t>wěi</t></rPh></si>')
                assert "rPh" in data
                data = data.encode("utf-8")
            target.writestr(item, data)


def sheets():
    """A notes sheet first; the data on the second sheet below a title row and an empty row."""
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "填写说明"
    notes.append(["请在“名单”页填写，带 * 的列必填。"])
    data = wb.create_sheet("名单")
    data.append(["某单位名单"])
    data.append([])
    data.append(["name*", "code"])
    data.append(["a", "1"])
    data.append(["b", "2"])
    wb.save(path("sheets.xlsx"))


def csvs():
    """CSV as classic Mac programs (CR only) and Excel on Chinese Windows (GB18030) save it."""
    rows = [["姓名", "代码"], ["张伟", "P01"], ["李娜", "P02"]]
    text = "".join(",".join(r) + "\r" for r in rows)
    with open(path("cr-only.csv"), "wb") as f:
        f.write(text.encode("utf-8"))
    with open(path("gb18030.csv"), "wb") as f:
        f.write("".join(",".join(r) + "\r\n" for r in rows + [["𠀀镕", "P03"]]).encode("gb18030"))


def members():
    """party.daily member files as people make them: instructions on the first sheet, a
    title above the header, a date-time, full-width characters from a Chinese input method,
    phones typed as numbers; and one with the cells spreadsheets cannot give."""
    header = ["姓名", "公民身份号码", "民族", "学历", "所在党组织", "人员类别", "入党日期", "转正日期", "手机", "联系电话"]
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "填写说明"
    notes.append(["第三行是表头，带 * 的列必填"])
    ws = wb.create_sheet("党员")
    ws.append(["某市机关党员名册"])
    ws.append([])
    ws.append(header)
    # 11010519820202123X (check digit by GB 11643) in full width.
    ws.append(["张伟", "１１０１０５１９８２０２０２１２３Ｘ", "汉族", "大学本科", "Ｐ０２", "正式党员",
               datetime.datetime(2005, 7, 1, 9, 30), datetime.date(2006, 7, 1), 13800000001, 1012345678])
    ws.append(["覃丽", "110105199005051426", "汉族", "大学本科", "P03", "正式党员",
               datetime.date(2008, 7, 1), datetime.date(2009, 7, 1), None, None])
    ws["G4"].number_format = "yyyy-mm-dd hh:mm"
    for cell in ("H4", "G5", "H5"):
        ws[cell].number_format = "yyyy-mm-dd"
    wb.save(path("members.xlsx"))

    bad = openpyxl.Workbook()
    ws = bad.active
    ws.append(header)
    ws.append(["错值", "110105198001011246", "#N/A", "=VLOOKUP(A2,Sheet2!A:B,2,FALSE)", "P02", "正式党员",
               datetime.date(2005, 7, 1), datetime.date(2006, 7, 1), None, None])
    # An ID number typed into a cell formatted as a number: the spreadsheet keeps 15 digits.
    ws.append(["丢号", float(110105198202021234), "汉族", "大学本科", "P02", "正式党员",
               datetime.date(2005, 7, 1), datetime.date(2006, 7, 1), None, None])
    for cell in ("G2", "H2", "G3", "H3"):
        ws[cell].number_format = "yyyy-mm-dd"
    bad.save(path("members-bad-cells.xlsx"))


def citizen_id(first17):
    """A citizen ID number with its GB 11643 check digit."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def dues_payments():
    """A bank's list of party dues collected (party.dues payments), cut to the card's columns
    (a value under a column the card does not have is refused, not dropped): a title row,
    people named by their ID number (names repeat; numbers do not), their names beside (the
    card's own read-only column), amounts as numbers, dates as dates."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "代收清单"
    ws.append(["中国工商银行 党费代收清单 2026年第四季度"])
    ws.append(["党员", "姓名", "交纳截止年月", "金额（元）", "交纳日期", "交纳方式"])
    # The members the test makes: memberJson(name, unit, "19800101", "101"...).
    rows = [("张一", "101", "2026-12", 120, datetime.date(2026, 10, 8)),
            ("张一", "102", "2026-10", 60, datetime.date(2026, 10, 9)),
            ("王三", "103", "2026-11", 0.40, datetime.date(2026, 11, 3))]
    for n, (name, seq, to, amount, paid) in enumerate(rows, start=3):
        ws.append([citizen_id("11010519800101" + seq), name, to, amount, paid, "银行转账"])
        ws.cell(row=n, column=5).number_format = "yyyy-mm-dd"
        ws.cell(row=n, column=4).number_format = "0.00"
    wb.save(path("dues-payments.xlsx"))


if __name__ == "__main__":
    date1904()
    cells()
    phonetic()
    sheets()
    csvs()
    members()
    dues_payments()
