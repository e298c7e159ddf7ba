"""Builds the Parquet lake of `npm run export -- lake` (1m bars) with Spark, straight from Cassandra.

Same Hive layout (kind=/id=/month=/data.parquet), same columns and Parquet types as the
exporter (apps/ingestor/src/lake/lake-exporter.ts): ts TIMESTAMP(MILLIS, UTC), open/high/low/close
DECIMAL(38,20), volume INT64, source_id text (dictionary-encoded), zstd; and the same
_manifest.json fields (format, timeframe, updated_at, and per partition kind, id, month, file,
rows, first_ts, last_ts, sha256, exported_at, change_marker), so `npm run export -- lake` can
carry the lake on incrementally after a Spark build.

Run it (see docs/exports.md):

  spark-submit --packages com.datastax.spark:spark-cassandra-connector_2.12:3.5.1 \
    spark/lake_job.py --keyspace market --out /data/lake [--assets AAPL,MSFT] [--commodities brent]

Contact points come from CASSANDRA_CONTACT_POINTS (host[:port],...), the data centre from
CASSANDRA_LOCAL_DC, as for the apps. The job reads each series table whole (token-range
scans spread over the executors), keeps the chosen series and months, and writes each month
of each series as one file.

Exactness, and its one gap: the connector reads CQL decimal as DECIMAL(38,18) (its fixed
type mapping), so a stored value with 19 or 20 fraction digits (the store allows 20) is
rounded by the connector before this job sees it, and cannot be told apart afterwards. Values
with up to 18 fraction digits and 18 integer digits come out exactly and are widened to the
exporter's DECIMAL(38,20) without loss; a value whose integer part does not fit reads as null
and fails the job (check_overflow). Use `npm run export -- lake` for series that store more
than 18 fraction digits.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import uuid

CONNECTOR = "com.datastax.spark:spark-cassandra-connector_2.12:3.5.1"
MANIFEST = "_manifest.json"
PRICE = "decimal(38,20)"
KINDS = {"asset": ("asset_timeseries", "asset_id"), "commodity": ("commodity_timeseries", "commodity_id")}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--keyspace", default=os.environ.get("CASSANDRA_KEYSPACE", "market_warehouse"))
    parser.add_argument("--out", required=True, help="the lake directory (a local path or any Hadoop URI)")
    parser.add_argument("--assets", help="comma-separated asset ids (default: every asset, unless --commodities)")
    parser.add_argument("--commodities", help="comma-separated commodity ids")
    parser.add_argument("--from", dest="start", help="first month, YYYY-MM (months are whole)")
    parser.add_argument("--to", dest="end", help="last month, YYYY-MM")
    parser.add_argument("--master", default=None, help="Spark master when not given by spark-submit, e.g. local[2]")
    return parser.parse_args(argv)


def contact_points() -> tuple[str, str]:
    points = os.environ.get("CASSANDRA_CONTACT_POINTS", "127.0.0.1:9042").split(",")
    hosts = [point.rsplit(":", 1)[0] for point in points]
    ports = {point.rsplit(":", 1)[1] for point in points if ":" in point}
    if len(ports) > 1:
        raise SystemExit("CASSANDRA_CONTACT_POINTS: the connector takes one port for every host")
    return ",".join(hosts), ports.pop() if ports else "9042"


def session(master: str | None):
    from pyspark.sql import SparkSession

    hosts, port = contact_points()
    builder = (
        SparkSession.builder.appName("market-warehouse lake")
        .config("spark.jars.packages", CONNECTOR)
        .config("spark.cassandra.connection.host", hosts)
        .config("spark.cassandra.connection.port", port)
        .config("spark.cassandra.connection.localDC", os.environ.get("CASSANDRA_LOCAL_DC", "datacenter1"))
        .config("spark.sql.session.timeZone", "UTC")
        # TIMESTAMP(MILLIS, isAdjustedToUTC=true), as the exporter writes (Spark's default is INT96).
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MILLIS")
        .config("spark.sql.parquet.compression.codec", "zstd")
        # DECIMAL(38,20) as a 16-byte FIXED_LEN_BYTE_ARRAY, the Parquet standard layout.
        .config("spark.sql.parquet.writeLegacyFormat", "false")
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
    )
    if master is not None:
        builder = builder.master(master)
    return builder.getOrCreate()


def bars_of(spark, keyspace: str, kind: str, ids: list[str] | None, start: str | None, end: str | None):
    from pyspark.sql import functions as F

    table, id_column = KINDS[kind]
    frame = spark.read.format("org.apache.spark.sql.cassandra").options(keyspace=keyspace, table=table).load()
    if ids is not None:
        frame = frame.where(F.col(id_column).isin(ids))
    if start is not None:
        frame = frame.where(F.col("bucket") >= start)
    if end is not None:
        frame = frame.where(F.col("bucket") <= end)
    return frame.select(
        F.lit(kind).alias("kind"),
        F.col(id_column).alias("id"),
        F.col("bucket").alias("month"),
        F.col("ts"),
        F.col("open").cast(PRICE).alias("open"),
        F.col("high").cast(PRICE).alias("high"),
        F.col("low").cast(PRICE).alias("low"),
        F.col("price").cast(PRICE).alias("close"),
        F.col("volume").cast("bigint").alias("volume"),
        F.col("source_id"),
    )


def change_markers(spark, keyspace: str) -> dict[tuple[str, str, str], str]:
    rows = (
        spark.read.format("org.apache.spark.sql.cassandra")
        .options(keyspace=keyspace, table="partition_changes")
        .load()
        .collect()
    )
    return {(row.series_kind, row.series_id, row.bucket): str(row.changes) for row in rows}


def iso_millis(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def partition_key(kind: str, series_id: str, month: str) -> str:
    from urllib.parse import quote

    # encodeURIComponent's set: what the exporter (and Hive) escape.
    return f"kind={quote(kind, safe='-_.!~*()')}/id={quote(series_id, safe='-_.!~*()')}/month={month}"


def main(argv: list[str]) -> int:
    from pyspark.sql import functions as F

    args = parse_args(argv)
    out = os.path.abspath(args.out)
    spark = session(args.master)
    started = dt.datetime.now(dt.timezone.utc)
    everything = args.assets is None and args.commodities is None
    frames = []
    for kind, ids in (("asset", args.assets), ("commodity", args.commodities)):
        if everything or ids is not None:
            chosen = None if ids is None else [item.strip() for item in ids.split(",") if item.strip()]
            frames.append(bars_of(spark, args.keyspace, kind, chosen, args.start, args.end))
    bars = frames[0] if len(frames) == 1 else frames[0].unionByName(frames[1])
    bars = bars.persist()
    check_overflow(bars)

    # One task per partition, rows in ts order: each month of each series is one file.
    staging = os.path.join(out, f"_spark_staging_{uuid.uuid4().hex}")
    (
        bars.repartition("kind", "id", "month")
        .sortWithinPartitions("kind", "id", "month", "ts")
        .write.partitionBy("kind", "id", "month")
        .parquet(staging)
    )
    stats = (
        bars.groupBy("kind", "id", "month")
        .agg(F.count(F.lit(1)).alias("rows"), F.min("ts").alias("first"), F.max("ts").alias("last"))
        .collect()
    )
    markers = change_markers(spark, args.keyspace)
    manifest_path = os.path.join(out, MANIFEST)
    manifest = {"format": "market-warehouse-lake/1", "timeframe": "1m", "updated_at": "", "partitions": {}}
    if os.path.exists(manifest_path):
        with open(manifest_path, encoding="utf-8") as file:
            manifest = json.load(file)
        if manifest.get("timeframe") != "1m":
            raise SystemExit(f"{out} holds a {manifest.get('timeframe')} lake; the Spark job writes 1m bars")
    written = 0
    for row in sorted(stats, key=lambda r: (r.kind, r.id, r.month)):
        key = partition_key(row.kind, row.id, row.month)
        # Spark's own directory names escape differently from Hive's/encodeURIComponent: find the part file by value.
        source_dir = os.path.join(
            staging, f"kind={spark_escape(row.kind)}", f"id={spark_escape(row.id)}", f"month={spark_escape(row.month)}"
        )
        parts = [name for name in os.listdir(source_dir) if name.endswith(".parquet")]
        if len(parts) != 1:
            raise RuntimeError(f"{source_dir}: expected one part file, found {len(parts)}")
        target_dir = os.path.join(out, key)
        os.makedirs(target_dir, exist_ok=True)
        target = os.path.join(target_dir, "data.parquet")
        os.replace(os.path.join(source_dir, parts[0]), target)
        manifest["partitions"][key] = {
            "kind": row.kind,
            "id": row.id,
            "month": row.month,
            "file": f"{key}/data.parquet",
            "rows": row.rows,
            "first_ts": iso_millis(row.first),
            "last_ts": iso_millis(row.last),
            "sha256": sha256_of(target),
            "exported_at": iso_millis(dt.datetime.now(dt.timezone.utc)),
            "change_marker": markers.get((row.kind, row.id, row.month), "-"),
        }
        written += 1
    manifest["updated_at"] = iso_millis(dt.datetime.now(dt.timezone.utc))
    temporary = f"{manifest_path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as file:
        file.write(json.dumps(manifest, indent=2) + "\n")
    os.replace(temporary, manifest_path)
    shutil.rmtree(staging, ignore_errors=True)
    seconds = (dt.datetime.now(dt.timezone.utc) - started).total_seconds()
    rows = sum(row.rows for row in stats)
    print(f"spark lake {out} (1m): {written} partitions written ({rows} rows) in {seconds:.1f} s")
    spark.stop()
    return 0


def spark_escape(value: str) -> str:
    """The directory name Spark gives a partition value (ExternalCatalogUtils.escapePathName)."""
    special = set('"#%\'*/:=?\\\x7f{[]^') | {chr(code) for code in range(0x20)}
    return "".join(f"%{ord(char):02X}" if char in special else char for char in value)


def check_overflow(bars) -> None:
    """Fails when a price may have been rounded by the connector's DECIMAL(38,18)."""
    # The connector hands Spark each value already at scale 18: what it rounded cannot be seen
    # here. What can be seen is a value at the edge of DECIMAL(38,18): |x| >= 10^20 would have
    # been read as null. A null close is never stored, so a null close means an overflow.
    from pyspark.sql import functions as F

    overflowed = bars.where(F.col("close").isNull()).limit(1).collect()
    if overflowed:
        row = overflowed[0]
        raise SystemExit(f"{row.kind} {row.id} {row.ts}: close does not fit DECIMAL(38,18) as the connector reads it")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
