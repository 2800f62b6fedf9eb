"""End to end: files and manifests through extraction into link items and the clusters object."""

from __future__ import annotations

import json

from dhakira.link import LinkItem, link_extractions
from dhakira.link.run import clusters_object, items_from_files, items_from_manifest

ENGLISH = (
    "Security forces storm Hama Central Prison\n\n"
    "Hama, Syria, 6 May 2016. Government forces stormed Hama Central Prison on Friday and fired tear gas "
    "at detainees who had taken over a wing, a rights monitor said. At least 25 detainees suffered from "
    "suffocation.\n"
)
ARABIC = (
    "قوات النظام تقتحم سجن حماة المركزي\n\n"
    "حماة، سوريا، 6 أيار 2016. اقتحمت القوات الحكومية سجن حماة المركزي يوم الجمعة وأطلقت الغاز المسيل "
    "للدموع على المعتقلين، وأصيب ما لا يقل عن 25 معتقلاً بحالات اختناق.\n"
)


def test_manifest_items_keep_relative_keys_and_texts(tmp_path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "en.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "ar.txt").write_text(ARABIC, encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "path,source_url\ncorpus/en.txt,\ncorpus/ar.txt,https://example.org/2016/05/06/x\n", encoding="utf-8"
    )
    items = items_from_manifest(manifest)
    assert [item.key for item in items] == ["corpus/en.txt", "corpus/ar.txt"]
    assert all(item.text and "2016" in item.text for item in items)
    assert all(item.extraction.get("schema") == "dhakira.extraction/1" for item in items)
    result = link_extractions(items, embeddings=False)
    written = json.loads(json.dumps(clusters_object(result)))
    assert set(written) == {"clusters"}
    assert all(len(cluster) >= 2 for cluster in written["clusters"])


def test_unreadable_file_gives_an_item_with_an_error(tmp_path) -> None:
    missing = tmp_path / "missing.txt"
    items = items_from_files([missing])
    assert len(items) == 1 and items[0].key == str(missing)
    assert items[0].extraction.get("error") and not items[0].extraction.get("incidents")
    assert link_extractions([*items, LinkItem("other", {"incidents": []})], embeddings=False).clusters == []
