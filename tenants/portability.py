"""One company out, one company in: an archive of its schema (pg_dump -n with the server's own
pg_dump), its media and its public rows, with a manifest of checksums and row counts
(docs/deploy.md, "One company out, one company in").

The archive (tar.gz):
    manifest.json   slug, name, plan, API origins, schema, migration key, row counts per table,
                    sha256 of each file
    schema.sql      pg_dump -n <schema> (plain, COPY), no owner, no privileges
    public.json     the company's rows in public tables (Domain, events, roll-ups, adoptions,
                    certificates…: every public model with a foreign key to Company), then the
                    public rows that point at those (a billing account's invoices, an
                    invoice's 发票), hop by hop
    refs.json       what those rows point at on this installation, by name where the row has
                    one (a batch's name, a plan's code): ids differ between installations,
                    names do not; a staff member by username and date_joined, since a username
                    names another person elsewhere (docs/decisions/0039)
    media/…         MEDIA_ROOT/<schema>/…, byte for byte
    public-files/…  the files those public rows name in their storage (a 发票's PDF in the
                    shared storage), byte for byte, under the name they have there
"""

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused
from tenants import schemas
from tenants.models import Company, CompanyStatus, Domain

FORMAT = 1


class ImportRefused(Refused):
    """An archive that cannot be restored here; the message says why."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def public_models_of_company() -> list[tuple[type, str]]:
    """(model, field name) for every public model with a foreign key to Company, Domain first."""
    found = []
    for model in apps.get_models():
        if model is Company:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Company:
                found.append((model, field.name))
    return sorted(found, key=lambda pair: (pair[0] is not Domain, pair[0]._meta.label))


def public_models_owned() -> list[tuple[type, str]]:
    """public_models_of_company(), then, hop by hop, every public model with a foreign key to a
    model already listed (an invoice of the billing account, the 发票 of an invoice): (model,
    the field that ties its rows to the company's). Found by introspection, so tenants knows
    no app above it."""
    shared_only = set(settings.SHARED_APPS) - set(settings.TENANT_APPS)
    found = public_models_of_company()
    listed = {model for model, _field in found} | {Company}
    while True:
        more = []
        for model in apps.get_models():
            if model in listed or model._meta.app_config.name not in shared_only:
                continue
            owner = next((field.name for field in model._meta.concrete_fields
                          if field.is_relation and field.related_model in listed
                          and field.related_model is not Company), None)
            if owner is not None:
                more.append((model, owner))
        if not more:
            return found
        more.sort(key=lambda pair: pair[0]._meta.label)
        found += more
        listed |= {model for model, _field in more}


def _owned_labels() -> set[str]:
    return {model._meta.label for model, _field in public_models_owned()} | {Company._meta.label}


def _public_rows(company: Company) -> dict:
    """{label: serialized rows} of public_models_owned(), in its order."""
    rows: dict[str, list] = {}
    pks: dict[type, list] = {Company: [company.pk]}
    for model, field in public_models_owned():
        target = model._meta.get_field(field).related_model
        objects = model.objects.filter(**{f"{field}__in": pks[target]}).order_by("pk")
        rows[model._meta.label] = json.loads(serializers.serialize("json", objects))
        pks[model] = [obj["pk"] for obj in rows[model._meta.label]]
    return rows


def _public_files(rows: dict) -> list[tuple[object, str]]:
    """(storage, name) of each file the public rows name (a FileField's value)."""
    found = []
    for label, objects in rows.items():
        model = apps.get_model(label)
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                found += [(field.storage, obj["fields"][field.name]) for obj in objects
                          if obj["fields"].get(field.name)]
    return found


def table_counts(schema: str) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1",
                       [schema])
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM {schemas.check_schema_name(schema)}."{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def _connection_args() -> tuple[list[str], dict]:
    db = connection.settings_dict
    args = [f"--dbname={db['NAME']}", f"--username={db['USER'] or 'postgres'}"]
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    return args, dict(os.environ, PGPASSWORD=str(db.get("PASSWORD") or ""))


def _own_files(media_root: Path) -> list[Path]:
    """The company's media files: regular files inside its folder. A symbolic link is never
    followed (one could name another company's file or anything on the disk)."""
    if not media_root.exists():
        return []
    root = media_root.resolve()
    return sorted(p for p in media_root.rglob("*")
                  if not p.is_symlink() and p.is_file() and p.resolve().is_relative_to(root))


def _identity_fields(model) -> tuple[str, ...] | None:
    """The fields a row of `model` is known by on any installation, or None: the shared
    catalogue is matched by id. A batch by its name, a plan by its code (the first unique
    CharField): the same name is the same batch. A user by username AND date_joined: another
    installation's "admin" is another person, and only the moment the account was made, to the
    microsecond, tells the same account from a namesake (docs/decisions/0039)."""
    if model._meta.label == settings.AUTH_USER_MODEL:
        return (model.USERNAME_FIELD, "date_joined")
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key and isinstance(field, models.CharField):
            return (field.name,)
    return None


def _reference(values: dict, fields: tuple[str, ...]):
    """What refs.json records of one row: its name alone (a batch, a plan, as ever), or
    {field: value} when one field is not enough (a user); datetimes whole, microseconds kept."""
    if len(fields) == 1:
        return values[fields[0]]
    return {name: values[name].isoformat() if hasattr(values[name], "isoformat")
            else values[name] for name in fields}


def _found_here(model, fields: tuple[str, ...], reference) -> int | None:
    """The id of the row here that `reference` (refs.json) names, or None. A reference that
    needs more than a name and is a bare name (archives before 0039: a username) proves
    nothing: None."""
    if reference is None:
        return None
    if len(fields) == 1:
        lookup = {fields[0]: reference}
    elif not isinstance(reference, dict) or any(reference.get(f) is None for f in fields):
        return None
    else:
        lookup = {}
        for name in fields:
            value = reference[name]
            if isinstance(model._meta.get_field(name), models.DateTimeField):
                try:
                    value = datetime.datetime.fromisoformat(value)
                except (TypeError, ValueError):  # an edited refs.json: proves nobody
                    return None
            lookup[name] = value
    return model._default_manager.filter(**lookup).values_list("pk", flat=True).first()


def _shown(reference) -> str | None:
    """A reference as an error message names it: the name, or a user's username."""
    return next(iter(reference.values()), None) if isinstance(reference, dict) else reference


def _references(rows: dict) -> dict:
    """{target label: {id: reference}} for every row the company's public rows point at that
    has an identity (_identity_fields)."""
    refs: dict[str, dict[str, object]] = {}
    owned = _owned_labels()  # travel with the company: renumbered on import, not looked up
    for label, objects in rows.items():
        model = apps.get_model(label)
        for field in model._meta.concrete_fields:
            if not field.is_relation or field.related_model._meta.label in owned:
                continue
            fields = _identity_fields(field.related_model)
            ids = {obj["fields"].get(field.name) for obj in objects} - {None}
            if fields is None or not ids:
                continue
            found = field.related_model._default_manager.filter(pk__in=ids).values("pk", *fields)
            refs.setdefault(field.related_model._meta.label, {}).update(
                {str(values["pk"]): _reference(values, fields) for values in found})
    return refs


def company_export(*, company: Company, path: Path) -> dict:
    """Writes the company's archive to `path`; returns its manifest."""
    schema = company.schema_name
    args, env = _connection_args()
    pg_dump = schemas.pg_dump_executable()
    version = subprocess.run([pg_dump, "--version"], capture_output=True, text=True).stdout
    # pg_dump 18 also writes planner statistics, as calls a server of another version refuses;
    # the target gathers its own (autovacuum, ANALYZE).
    no_stats = ["--no-statistics"] if int(re.search(r"(\d+)", version).group(1)) >= 18 else []
    dump = subprocess.run(
        [pg_dump, "--no-owner", "--no-privileges", *no_stats, f"--schema={schema}", *args],
        capture_output=True, env=env, timeout=3600)
    if dump.returncode != 0:
        raise schemas.SchemaError(f"pg_dump failed: {dump.stderr.decode()[-2000:]}")
    public_rows = _public_rows(company)
    public = json.dumps(public_rows, ensure_ascii=False, indent=1).encode()
    refs = json.dumps(_references(public_rows), ensure_ascii=False, indent=1).encode()
    files = {"schema.sql": dump.stdout, "public.json": public, "refs.json": refs}
    for storage, name in _public_files(public_rows):
        with storage.open(name, "rb") as handle:
            files[f"public-files/{name}"] = handle.read()
    media_root = Path(settings.MEDIA_ROOT) / schema
    media = _own_files(media_root)
    manifest = {
        "format": FORMAT, "slug": company.slug, "name": company.name, "schema": schema,
        "plan": company.plan, "api_origins": company.api_origins,
        "exported_at": timezone.now().isoformat(),
        "migration_key": schemas.migration_keys([schema])[schema],
        "tables": table_counts(schema),
        "files": {name: _sha256(data) for name, data in files.items()},
    }
    for file in media:
        manifest["files"]["media/" + file.relative_to(media_root).as_posix()] = _sha256(
            file.read_bytes())
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as archive:
        for name, data in [("manifest.json", json.dumps(manifest, ensure_ascii=False,
                                                         indent=1).encode()), *files.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for file in media:
            archive.add(file, arcname="media/" + file.relative_to(media_root).as_posix())
    return manifest


def _read_archive(path: Path, into: Path) -> dict:
    with tarfile.open(path, "r:gz") as archive:
        archive.extractall(into, filter="data")  # no absolute paths, links or traversal
    manifest = json.loads((into / "manifest.json").read_text())
    if manifest.get("format") != FORMAT:
        raise ImportRefused(_("无法识别的归档格式。"), code="import_format")
    present = {p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file()}
    if present - {"manifest.json"} != set(manifest["files"]):
        raise ImportRefused(_("归档中的文件与清单不符。"), code="import_files")
    for name, digest in manifest["files"].items():
        if _sha256((into / name).read_bytes()) != digest:
            raise ImportRefused(_("校验和不符：%(name)s") % {"name": name},
                                code="import_checksum")
    return manifest


_COPY_START = re.compile(r"^COPY .* FROM stdin;$")
# Session settings, psql's meta-commands, and column options this machine's PostgreSQL 15 keeps
# on every column (pg_attver) that another server refuses as unknown.
_SKIPPED = re.compile(r"^(--|SET |SELECT pg_catalog\.set_config|\\(restrict|unrestrict) |"
                      r"ALTER TABLE ONLY \S+ ALTER COLUMN \S+ SET \(pg_attver=\d+\);$)")


def _renamed_dump(sql: str, *, old: str, new: str) -> str:
    """The dump with its schema renamed in statements only: rows (COPY data) are untouched,
    so a member called like the old schema keeps the name."""
    name = re.compile(rf'(?<![\w"]){re.escape(old)}(?![\w"])')
    out, in_data = [], False
    for line in sql.splitlines():
        if in_data:
            out.append(line)
            in_data = line != "\\."
            continue
        if not line or _SKIPPED.match(line):
            continue
        line = name.sub(new, line)
        in_data = bool(_COPY_START.match(line))
        out.append(line)
    return "\n".join(out) + "\n"


def _catalogue_checked(rows: dict, refs: dict | None = None) -> list[str]:
    """Points the company's public rows at this installation's rows, in place: a row with an
    identity (a batch, a plan, a staff member) by what refs.json records of it, so that another
    installation's batch of the same id is never taken for it; the shared catalogue by id.
    A row missing here leaves an optional reference empty (who reviewed the application was
    staff of the other installation, or a namesake here: 0039). Returns what is required and
    missing."""
    missing = []
    owned = _owned_labels()
    for label, objects in rows.items():
        model = apps.get_model(label)
        for field in model._meta.concrete_fields:
            if not field.is_relation or field.related_model._meta.label in owned:
                continue
            target = field.related_model
            fields = _identity_fields(target)
            if fields is None or (refs is None and len(fields) == 1):
                names = None  # by id: the catalogue; a batch in archives before refs.json
            else:  # a user in an archive without refs.json: an id proves nothing either
                names = (refs or {}).get(target._meta.label, {})
            for obj in objects:
                value = obj["fields"].get(field.name)
                if value is None:
                    continue
                if names is None:
                    if not target._default_manager.filter(pk=value).exists():
                        missing.append(f"{label}.{field.name}={value}")
                    continue
                reference = names.get(str(value))
                here = _found_here(target, fields, reference)
                if here is not None:
                    obj["fields"][field.name] = here
                elif field.null:
                    obj["fields"][field.name] = None
                else:
                    missing.append(f"{label}.{field.name}={_shown(reference) or value}")
    return missing


def _catalogue_references() -> list[tuple[type, object]]:
    """(model, field) for each reference from a company's tables into the shared catalogue:
    foreign keys without a database constraint (docs/decisions/0016), so that a schema dumps
    and restores on its own, and nothing in PostgreSQL checks them on arrival."""
    tenant_only = set(settings.TENANT_APPS) - set(settings.SHARED_APPS)
    shared_only = set(settings.SHARED_APPS) - set(settings.TENANT_APPS)
    return [(model, field) for model in apps.get_models()
            if model._meta.app_config.name in tenant_only
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model._meta.app_config.name in shared_only]


def _schema_catalogue_checked(schema: str) -> list[str]:
    """References from the restored schema's rows to catalogue rows (courses, versions,
    deliveries, lessons, questions) this installation does not have."""
    schema = schemas.check_schema_name(schema)
    missing = []
    with connection.cursor() as cursor:
        for model, field in _catalogue_references():
            target = field.related_model._meta
            cursor.execute(
                f'SELECT DISTINCT t."{field.column}" FROM {schema}."{model._meta.db_table}" t '
                f'WHERE t."{field.column}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM '
                f'public."{target.db_table}" c WHERE c."{target.pk.column}" = t."{field.column}") '
                f'ORDER BY 1 LIMIT 20')
            missing += [f"{model._meta.label}.{field.name}={row[0]}" for row in cursor.fetchall()]
    return missing


def company_import(*, path: Path, slug: str | None = None, name: str | None = None) -> Company:
    """Restores an archive as a new company (its own slug, or `slug`): checksums, then the
    migration key against this installation's template, then the catalogue references of its
    public rows, then schema and public rows in one transaction (refused, with nothing kept,
    when the schema's rows name catalogue rows this installation lacks), then the media."""
    from tenants.services import company_create

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        manifest = _read_archive(path, folder)
        here = schemas.migration_keys([schemas.TEMPLATE_SCHEMA])[schemas.TEMPLATE_SCHEMA]
        if manifest["migration_key"] != here:
            raise ImportRefused(_("归档的数据库迁移状态与本站不同：请先升级较旧的一方并执行迁移。"),
                                code="import_migrations")
        rows = json.loads((folder / "public.json").read_text())
        rows.pop(Domain._meta.label, None)  # the new company gets its own domain here
        refs_file = folder / "refs.json"  # archives made before it: ids, as then
        refs = json.loads(refs_file.read_text()) if refs_file.exists() else None
        missing = _catalogue_checked(rows, refs)
        if missing:
            raise ImportRefused(_("本站缺少归档引用的共享数据：%(rows)s")
                                % {"rows": ", ".join(missing[:20])}, code="import_catalogue")
        sql = (folder / "schema.sql").read_text()
        with transaction.atomic():
            company = company_create(name=name or manifest["name"], slug=slug or manifest["slug"])
            sql = _renamed_dump(sql, old=manifest["schema"], new=company.schema_name)
            _restore(sql)
            missing = _schema_catalogue_checked(company.schema_name)
            if missing:  # the transaction goes, with the company and its schema
                raise ImportRefused(_("本站缺少归档引用的共享数据：%(rows)s")
                                    % {"rows": ", ".join(missing[:20])}, code="import_catalogue")
            saved: list[tuple[object, str]] = []
            try:
                _public_rows_create(rows, company=company, files=folder / "public-files",
                                    listed=manifest["files"], saved=saved)
            except IntegrityError as error:  # the transaction goes; the files it wrote too
                for storage, file_name in saved:
                    storage.delete(file_name)
                message = _("本站已有归档中的唯一记录，公司可能仍在本站：%(error)s")
                raise ImportRefused(message % {"error": str(error).splitlines()[0]},
                                    code="import_taken") from error
            Company.objects.filter(pk=company.pk).update(
                status=CompanyStatus.ACTIVE, plan=manifest.get("plan", company.plan),
                api_origins=manifest.get("api_origins", ""),
                provision_progress=100, provision_step=_("导入"), activated_at=timezone.now())
        media = folder / "media"
        if media.exists():
            shutil.copytree(media, Path(settings.MEDIA_ROOT) / company.schema_name,
                            dirs_exist_ok=True)
    company.refresh_from_db()
    return company


def _public_rows_create(rows: dict, *, company: Company, files: Path, listed: dict,
                        saved: list) -> None:
    """Creates the archive's public rows for `company`, in public_models_owned()'s order: a
    reference to another of them takes that row's new id here; a file they name is written to
    its storage (under another name if this one is taken there, as on the installation it
    came from)."""
    new_pks: dict[str, dict] = {Company._meta.label: {}}
    for model, _field in public_models_owned():
        label = model._meta.label
        new_pks[label] = {}
        for obj in rows.get(label, []):
            values = {}
            for field in model._meta.concrete_fields:
                if field.name not in obj["fields"]:
                    continue
                value = obj["fields"][field.name]
                target = field.related_model._meta.label if field.is_relation else None
                if target == Company._meta.label:
                    value = company.pk
                elif target in new_pks and value is not None:
                    value = new_pks[target][value]
                elif isinstance(field, models.FileField) and value:
                    if f"public-files/{value}" not in listed:  # only what the archive holds
                        raise ImportRefused(_("归档中的文件与清单不符。"), code="import_files")
                    with open(files / value, "rb") as handle:
                        value = field.storage.save(value, handle)
                    saved.append((field.storage, value))
                values[field.attname] = value
            new_pks[label][obj["pk"]] = model.objects.create(**values).pk


def _restore(sql: str) -> None:
    """Runs the renamed dump on this connection, inside the caller's transaction: statements
    as they come (psycopg2 sends text without parameters untouched), each COPY block through
    copy_expert."""
    with connection.cursor() as cursor:
        statements: list[str] = []
        lines = iter(sql.splitlines())
        for line in lines:
            if not _COPY_START.match(line):
                statements.append(line)
                continue
            if statements:
                cursor.execute("\n".join(statements))
                statements = []
            data = []
            for row in lines:
                if row == "\\.":
                    break
                data.append(row + "\n")
            cursor.copy_expert(line, io.StringIO("".join(data)))
        if statements:
            cursor.execute("\n".join(statements))


def company_delete(*, company: Company, exports_dir: Path | None = None) -> Path:
    """Deletes an archived company for good, after writing its export (kept under
    DATA_DIR/exports); logged. Returns the export's path."""
    import logging

    if company.status != CompanyStatus.ARCHIVED:
        raise ImportRefused(_("只能删除已归档的公司。"), code="delete_not_archived")
    folder = exports_dir or Path(settings.DATA_DIR) / "exports"
    path = folder / f"{company.slug}-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
    manifest = company_export(company=company, path=path)
    # Files its public rows name outside the company's folder (a 发票's PDF in the shared
    # storage): kept in the export, gone from the installation with the rows.
    public_files = _public_files(_public_rows(company))
    with transaction.atomic():
        schemas.schema_drop(name=company.schema_name)
        Company.objects.filter(pk=company.pk).delete()
    shutil.rmtree(Path(settings.MEDIA_ROOT) / company.schema_name, ignore_errors=True)
    for storage, name in public_files:
        storage.delete(name)
    logging.getLogger(__name__).warning(
        "company deleted: slug=%s schema=%s export=%s sha256(schema.sql)=%s", company.slug,
        company.schema_name, path, manifest["files"]["schema.sql"])
    return path
