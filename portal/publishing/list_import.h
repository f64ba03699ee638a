#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/pool.h"
#include "hotline/local_clock.h"
#include "portal/accounts/audit_store.h"
#include "portal/publishing/catalog.h"
#include "portal/publishing/csv_reader.h"
#include "portal/publishing/list_layout.h"
#include "portal/publishing/workbook.h"

namespace portal::publishing {

// A department's list from the file it has: .xlsx, .xls or CSV (UTF-8 with or without BOM,
// GBK, UTF-16 comma- or tab-separated), in the shape it was published in (see list_layout.h for how
// the header, columns, merged cells and section lines are found, legal_basis.h for the legal
// bases).
//
// Only a name and a type are needed; every other column may be missing or empty. The type
// comes from the row's type cell (every common spelling), else from a section line above the
// row (行政许可（五项）), else from the title (…行政处罚权力清单). A type the portal does not know
// is listed in the report (ImportReport::unknown_types) and imported as 其他行政权力 unless the
// person maps it (LayoutChoices::types).
//
// Codes: the file's 事项编码 (spaces inside removed), or a 序号 that holds codes. A row without
// one is matched by name with the department's items (the n-th row of a name with the n-th
// item of that name); a new one gets a stable generated code, SLUG-TYPE-hash of the name.
//
// Cells (the portal's own columns):
//   子项      one per line, or separated by "；".
//   责任事项, 追责情形  one per line (Alt+Enter in Excel).
//   设定依据  as published: parseLegalBasisCell(); never refused for its form.
//   状态      有效 / 已取消 / 已下放 (or in_force / cancelled / delegated). Empty or no such
//            column: an existing item keeps its status, a new item is 有效.
//   生效日期  2024-03-01, 2024/3/1, 2024年3月1日 or an Excel date. Empty or no such column: an
//            existing item keeps its date; a new item takes the import date (ImportOptions::
//            today). A status change (取消/下放/恢复有效) whose date is empty or left
//            unchanged, and every cancellation of a missing item, take the import date.
//
// A column the file does not have (子项, 实施主体, 行使层级, 设定依据, 责任事项, 追责情形,
// 监督电话, 备注) leaves that field of an existing item as it is; a column that is there but empty
// clears it.
//
// The file is the department's whole list: an item of the department that is not 已取消 and
// does not appear in the file is cancelled (取消) by the import, and the preview lists it as
// such (ImportChange::missing_from_file). A file with no item rows is refused.
// How the file relates to the department's list.
enum class ImportMode {
  // The department's whole list (above): new rows are created, absent items cancelled.
  Whole,
  // A second file for items already on the list, typically the responsibility list (责任清单)
  // delivered apart from the power list: each row is matched with an item of the department by
  // 事项编码, or (no code, or a code the department does not have) by name, the n-th row of a
  // name with the n-th item of that name. A matched row updates 责任事项, 追责情形 and 监督电话
  // where the file has the column and the cell is not empty; every other field stays as it is.
  // Nothing is created and nothing is cancelled; a row matching no item is listed in
  // ImportReport::unmatched (not an error: the other rows are applied). The type column is
  // not needed.
  Supplement,
};

struct ImportOptions {
  WorkbookLimits limits;  // defaults: 20 MiB, 50,000 rows, 200 columns, 256 MiB unpacked
  std::string today;      // YYYY-MM-DD, the import date (see 生效日期); empty: today, Beijing time
  // The largest file stage() keeps (published lists are 0.5-3 MB). Default 10 MiB.
  std::size_t max_staged_bytes = 10 * 1024 * 1024;
  // How long a staged file waits for its confirmation. Default 6 hours.
  std::chrono::seconds staging_lifetime = std::chrono::hours(6);
};

// What the import will do (or did) to one item.
struct ImportChange {
  int row = 0;  // the row number Excel shows (CSV: record number); 0: missing from the file
  std::string code;
  std::string name;
  std::optional<ChangeKind> kind;           // 新增/变更/取消/下放; nullopt: 无变化
  std::vector<std::string> changed_fields;  // column names that differ, for 变更/取消/下放
  bool missing_from_file = false;           // cancelled because the file no longer lists it
  std::string sheet = {};  // the row's sheet when the list spans several sheets

  std::string actionName() const;  // 新增 / 变更 / 取消 / 下放 / 无变化
};

// A problem a person must fix before the file can be imported.
struct ImportError {
  int row = 0;          // the row number Excel shows (CSV: record number); 0: the whole file
  int line = 0;         // physical line in the file where the row starts (differs from `row` when
                        // cells hold line breaks); 0 when not known
  std::string code;     // 事项编码 of the row, when it has one
  std::string message;  // Chinese, one problem
  std::string sheet = {};  // the row's sheet when the list spans several sheets

  // "第 3 行（事项编码 CF-1）：请填写实施主体。" (工作表“行政处罚（254项）”第 3 行… when the
  // list spans several sheets) -- for pages and the command line.
  std::string describe() const;
};

// A row of a supplement file that matches no item of the department (nothing is done with it).
struct UnmatchedRow {
  int row = 0;  // the row number Excel shows (CSV: record number)
  std::string code;
  std::string name;
  std::string describe() const;  // why, in Chinese, for pages and the command line
};

struct ImportReport {
  ImportMode mode = ImportMode::Whole;
  std::vector<UnmatchedRow> unmatched;       // ImportMode::Supplement only
  std::optional<CsvEncoding> encoding;       // set once the file could be decoded
  std::vector<ImportChange> changes;         // file rows in order, then missing items
  std::vector<ImportError> errors;           // empty: the file can be applied
  std::vector<std::string> ignored_columns;  // headers not recognised
  std::optional<FileFormat> format;          // set once the file could be read
  std::string sheet;                         // the sheet imported (the first, when several)
  // Every sheet imported when the workbook splits the list over sheets by type (行政许可（11项）,
  // 行政处罚（254项）, … under one header); empty when one sheet is imported.
  std::vector<std::string> sheets_imported;
  std::vector<std::string> sheets;           // every sheet of the workbook
  std::vector<ColumnGuess> mapping;          // how each column was read
  LayoutChoices choices;                     // the mapping as choices, to confirm or correct
  std::vector<std::string> notes;            // what was interpreted (Chinese), for the preview
  // What the person should check before confirming, though nothing stops the import (Chinese):
  // an item name written on several rows of the file.
  std::vector<std::string> warnings;
  struct UnknownType {
    std::string written;  // as the file spells it
    int rows = 0;
    std::string mapped_to;  // type code used
    bool chosen = false;    // mapped by the person rather than by default
  };
  std::vector<UnknownType> unknown_types;
  int item_rows = 0;      // rows read as items
  int rows_refused = 0;   // item rows with at least one error
  int created = 0;
  int amended = 0;
  int cancelled = 0;  // including missing_from_file
  int delegated = 0;
  int unchanged = 0;
  bool applied = false;  // apply(): every change was committed (else nothing was)

  bool ok() const { return errors.empty(); }
  int changeCount() const { return created + amended + cancelled + delegated; }
};

// Called during apply() after each planned entry (file row or missing item) is processed;
// `done` runs from 1 to `total`. Runs on the calling thread, inside the open transaction:
// keep it quick and do not call back into the database.
using ImportProgress = std::function<void(std::size_t done, std::size_t total)>;

struct ApplyRequest {
  std::string reason;         // 变更理由, required; recorded on every version written
  std::string legal_trigger;  // optional 立改废释 trigger, recorded likewise
  ImportProgress progress;    // optional
  // Appended to the audit log in the same transaction when the import is applied (not when
  // it is refused). An empty summary is filled in ("导入清单：新增 1 项，..."), and unset
  // before/after JSON become the reason and the codes per change kind.
  std::optional<accounts::AuditEntry> audit;
  // The person's confirmed mapping; nullopt: the remembered one, else the guess.
  std::optional<LayoutChoices> choices;
  // Supplement: the mapping's columns and types are added to the remembered mapping (the
  // remembered sheet stays), so the power list's mapping is not replaced by this file's.
  ImportMode mode = ImportMode::Whole;
  // The token stage() gave for the file, if it was staged: the staged file is deleted in the
  // transaction that applies it (a refused import keeps it for another try).
  std::string staged_token;
};

// Spreadsheet import and export of one department's list. Checking that the caller may edit
// the department (and writing the audit row) is the caller's job.
//
// Thread safe: each call borrows its own connection from the pool. Bad files and bad rows
// come back in ImportReport::errors (Chinese, with row numbers); infrastructure failure
// throws db::DbError, and apply() then has written nothing.
class ImportService {
 public:
  // `clock` gives the import date when options.today is empty (Beijing time, whatever the
  // host's time zone).
  explicit ImportService(db::Pool& pool, ImportOptions options = {},
                         hotline::LocalClock clock = hotline::LocalClock());

  // What apply() would do now with this file. Writes nothing. `choices` nullptr: the
  // department's remembered mapping (rememberChoices), if any, else the guess.
  ImportReport preview(std::int64_t department_id, std::string_view file,
                       const LayoutChoices* choices = nullptr, ImportMode mode = ImportMode::Whole);

  // Plans again under lock and, only if no row is wrong, writes every change in ONE
  // transaction: each a new version (change kind 新增/变更/取消/下放, the request's reason and
  // trigger) with its search change-log row, through the same writes PublishingService uses.
  // With any error nothing is written and the report lists the errors, as preview() would.
  // The mapping used (request.choices, else the remembered one, else the guess) is
  // remembered for the department in the same transaction.
  ImportReport apply(std::int64_t department_id, std::string_view file, const ApplyRequest& request);

  // Keeps an uploaded file between the preview and the confirmation, so that the pages carry a
  // token instead of the file: a random token (43 characters, base64url), valid for
  // options.staging_lifetime, for this department and this account only. The database holds
  // the token's digest, never the token. Deletes expired files on the way. Precondition:
  // file.size() <= maxStagedBytes() (the caller answers 413 otherwise).
  std::string stage(std::int64_t department_id, std::int64_t account_id, std::string_view file);

  // The file staged under `token`; nullopt when there is none, it expired, or it was staged
  // for another department or by another account.
  std::optional<std::string> staged(std::int64_t department_id, std::int64_t account_id,
                                    std::string_view token);

  std::size_t maxStagedBytes() const { return options_.max_staged_bytes; }
  std::chrono::seconds stagingLifetime() const { return options_.staging_lifetime; }

  // The mapping remembered for the department (empty when none).
  LayoutChoices rememberedChoices(std::int64_t department_id);

  // The department's current list (all statuses) with the same headers, as UTF-8 with a BOM
  // and CRLF line ends, which Excel opens cleanly. Importing it unchanged changes nothing.
  // nullopt: no such department.
  std::optional<std::string> exportCsv(std::int64_t department_id);

 private:
  db::Pool& pool_;
  ImportOptions options_;
  hotline::LocalClock clock_;
};

}  // namespace portal::publishing
