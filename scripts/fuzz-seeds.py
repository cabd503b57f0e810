#!/usr/bin/env python3
"""Writes the fuzz seed corpora (fuzz/seeds/<target>/): the fixtures, and small generated
workbooks and CSVs that reach header detection, every cell type and the guards' checks.
Zip entries come both deflated and stored: mutations of a stored entry reach the XML.
Files named regression-* (inputs fuzzing found) are left alone.

Run from the repository root: python3 scripts/fuzz-seeds.py
"""
import os
import shutil
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "fuzz", "seeds")
FIX = os.path.join(ROOT, "fixtures")

HEADER = ["县(市、区、旗)", "乡(镇)", "行政村", "户编号", "证件号码", "户类型", "姓名",
          "与户主关系", "人数", "监测对象类别", "识别监测时间", "人均纯收入（元）", "是否持证"]
ROWS = [
    ["睢县", "白庙乡", "刘庄村", "H1", "11010519491231002X", "脱贫户", "王五", "户主", 3,
     "脱贫不稳定户", "2023年6月", 10409.5, "是"],
    ["睢县", "白庙乡", "刘庄村", "H1", "110105200001010015", "脱贫户", "王六", "子", 3,
     "", "202306", "一万", "否"],
    ["合计", "", "", "", "", "", "", "", 6, "", "", 20819, ""],
]


def entry(name):
    """A zip entry with a fixed date, so that the seeds are the same bytes every run."""
    return zipfile.ZipInfo(name, date_time=(2024, 6, 30, 0, 0, 0))


def put(target, name, data):
    d = os.path.join(SEEDS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def esc(s):
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sheet_xml(rows, shared, extra=""):
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           f'<dimension ref="A1:{col(len(HEADER) - 1)}{len(rows)}"/><sheetData>']
    for r, row in enumerate(rows, 1):
        out.append(f'<row r="{r}">')
        for c, v in enumerate(row):
            ref = f"{col(c)}{r}"
            if v == "" or v is None:
                continue
            if isinstance(v, (int, float)):
                out.append(f'<c r="{ref}"><v>{v}</v></c>')
            elif c % 3 == 0:
                out.append(f'<c r="{ref}" t="inlineStr"><is><t>{esc(v)}</t></is></c>')
            else:
                if v not in shared:
                    shared.append(v)
                out.append(f'<c r="{ref}" t="s"><v>{shared.index(v)}</v></c>')
        out.append("</row>")
    out.append(extra)
    out.append("</sheetData></worksheet>")
    return "".join(out)


def xlsx(rows, method, extra="", sheet_name="监测对象"):
    shared = []
    sheet = sheet_xml(rows, shared, extra)
    sst = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
           f'spreadsheetml/2006/main" count="{len(shared)}" uniqueCount="{len(shared)}">'
           + "".join(f"<si><t>{esc(s)}</t></si>" for s in shared) + "</sst>")
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/sharedStrings.xml": sst,
        "xl/worksheets/sheet1.xml": sheet,
    }
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, text in parts.items():
            z.writestr(entry(name), text, compress_type=method)
    return buf.getvalue()


def ods(rows, method, extra_row=""):
    body = []
    for row in rows:
        cells = []
        for v in row:
            if v == "" or v is None:
                cells.append("<table:table-cell/>")
            elif isinstance(v, (int, float)):
                cells.append(f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>')
            else:
                cells.append(f'<table:table-cell office:value-type="string"><text:p>{esc(v)}</text:p></table:table-cell>')
        body.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
               '<office:spreadsheet><table:table table:name="监测对象">'
               + "".join(body) + extra_row +
               '<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
               "</table:table></office:spreadsheet></office:body></office:document-content>")
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        z.writestr(entry("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr(entry("META-INF/manifest.xml"), '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
        z.writestr(entry("content.xml"), content, compress_type=method)
    return buf.getvalue()


def csv_text(rows):
    return "\n".join(",".join(str(v) for v in r) for r in rows) + "\n"


def main():
    # Files named regression-* are inputs fuzzing found: they are kept.
    table = [["巩固拓展脱贫攻坚成果监测对象信息"], ["导出时间：2024-06-30"], HEADER] + ROWS
    odd = ('<row r="7"><c r="A7" t="n"><v>abc</v></c><c r="B7" t="b"><v>2</v></c>'
           '<c r="C7" t="e"><v>#N/A</v></c><c r="D7" t="str"><v>公式文本</v></c>'
           '<c r="E7"><f>SUM(I4:I5)</f></c><c r="F7"><f>1+1</f><v>2</v></c>'
           '<c r="G7" s="1"><v>45473</v></c><c r="H7" t="d"><v>2024-06-30</v></c></row>')
    for method, tag in [(zipfile.ZIP_DEFLATED, "deflated"), (zipfile.ZIP_STORED, "stored")]:
        put("xlsx", f"roster-{tag}.xlsx", xlsx(table, method))
        put("xlsx", f"cells-{tag}.xlsx", xlsx(table, method, odd))
        put("ods", f"roster-{tag}.ods", ods(table, method,
            '<table:table-row table:number-rows-repeated="2"><table:table-cell office:value-type="string" table:number-columns-repeated="3"><text:p>重复<text:s text:c="2"/>值</text:p></table:table-cell></table:table-row>'))
        # Numbers calamine cannot read (the whole workbook used to fail on one).
        put("ods", f"bad-numbers-{tag}.ods", ods(table, method,
            '<table:table-row><table:table-cell office:value-type="float" office:value="一万"><text:p>一万</text:p></table:table-cell>'
            '<table:table-cell office:value-type="percentage" office:value="12,5%"/>'
            '<table:table-cell table:number-columns-repeated="2" office:value-type="currency" office:value="¥3"><text:p>¥3</text:p></table:table-cell></table:table-row>'))
    summary = [["县(市、区)", "脱贫户和监测户数", "贷款余额户数", "衔接资金（万元）"],
               ["夏邑县", 1000, 183, "1,234.5"], ["睢县", 800, 175, 99], ["全市", 1800, 358, 1333.5]]
    put("xlsx", "summary.xlsx", xlsx(summary, zipfile.ZIP_STORED, sheet_name="汇总"))
    os.makedirs(os.path.join(SEEDS, "xls"), exist_ok=True)
    shutil.copy(os.path.join(FIX, "监测对象信息_示例.xls"), os.path.join(SEEDS, "xls", "fixture.xls"))
    shutil.copy(os.path.join(FIX, "监测对象信息_示例.ods"), os.path.join(SEEDS, "ods", "fixture.ods"))
    os.makedirs(os.path.join(SEEDS, "csv"), exist_ok=True)
    # The csv target's first byte picks --strict.
    put("csv", "summary.csv", b"\x00" + open(os.path.join(FIX, "商丘市_汇总.csv"), "rb").read())
    text = csv_text(table)
    put("csv", "roster-utf8.csv", b"\x00" + text.encode("utf-8"))
    put("csv", "roster-bom.csv", b"\x01" + b"\xef\xbb\xbf" + text.encode("utf-8"))
    put("csv", "roster-gb18030.csv", b"\x00" + text.encode("gb18030"))
    put("csv", "loans.csv", b"\x00" + csv_text([["户编号", "县(市、区、旗)", "乡(镇)", "放款日期", "贷款金额（元）", "贷款余额（元）", "贷款状态"],
                                                  ["H1", "睢县", "白庙乡", "2023.06", "50,000元", 30000, "正常"]]).encode("utf-8"))


if __name__ == "__main__":
    main()
