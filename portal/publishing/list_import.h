#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/pool.h"
#include "portal/accounts/audit_store.h"
#include "portal/publishing/catalog.h"
#include "portal/publishing/csv_reader.h"

namespace portal::publishing {

// The spreadsheet's columns, by the header names real lists use. A header cell matches after
// trimming spaces and a leading "*" (the "required" mark of many templates). Columns with
// other headers (序号, ...) are ignored and reported in ImportReport::ignored_columns.
//
//   Required: 事项编码 事项名称 事项类型 实施主体 行使层级 设定依据 责任事项 追责情形
//   Optional: 子项 监督电话 备注 状态 生效日期
//
// Cells:
//   事项编码  matched case-insensitively, as the database's unique key does.
//   事项类型  the Chinese name (行政处罚) or the code (cf).
//   子项      one per line, or separated by "；".
//   责任事项, 追责情形  one per line (Alt+Enter in Excel). Not split on "；": real entries
//            contain "；" inside one sentence ("决定是否立案；对符合立案条件的...").
//   设定依据  one basis per line: 《法律名称》第X条：条文 (an edition note right after the
//            title stays with it: 《食品安全法》（2018年修正）第三十五条：...).
//   状态      有效 / 已取消 / 已下放 (or in_force / cancelled / delegated). Empty or no such
//            column: an existing item keeps its status, a new item is 有效.
//   生效日期  2024-03-01, 2024/3/1 (what Excel makes of it) or 2024年3月1日. Empty or no such
//            column: an existing item keeps its date; a new item takes the import date
//            (ImportOptions::today). A status change (取消/下放/恢复有效) whose date is empty or
//            left unchanged, and every cancellation of a missing item, take the import date.
//
// The file is the department's whole list: an item of the department that is not 已取消 and
// does not appear in the file is cancelled (取消) by the import, and the preview lists it as
// such (ImportChange::missing_from_file). A file with no item rows is refused.
struct ImportOptions {
  CsvLimits csv;      // defaults: 10 MiB, a header and 20,000 rows
  std::string today;  // YYYY-MM-DD, the import date (see 生效日期); empty: today's local date
};

// What the import will do (or did) to one item.
struct ImportChange {
  int row = 0;  // spreadsheet row (the header is row 1); 0 for an item missing from the file
  std::string code;
  std::string name;
  std::optional<ChangeKind> kind;           // 新增/变更/取消/下放; nullopt: 无变化
  std::vector<std::string> changed_fields;  // column names that differ, for 变更/取消/下放
  bool missing_from_file = false;           // cancelled because the file no longer lists it

  std::string actionName() const;  // 新增 / 变更 / 取消 / 下放 / 无变化
};

// A problem a person must fix before the file can be imported.
struct ImportError {
  int row = 0;          // spreadsheet row (the header is row 1); 0: the whole file
  int line = 0;         // physical line in the file where the row starts (differs from `row` when
                        // cells hold line breaks); 0 when not known
  std::string code;     // 事项编码 of the row, when it has one
  std::string message;  // Chinese, one problem

  // "第 3 行（事项编码 CF-1）：请填写实施主体。" -- for pages and the command line.
  std::string describe() const;
};

struct ImportReport {
  std::optional<CsvEncoding> encoding;       // set once the file could be decoded
  std::vector<ImportChange> changes;         // file rows in order, then missing items
  std::vector<ImportError> errors;           // empty: the file can be applied
  std::vector<std::string> ignored_columns;  // headers not recognised
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
};

// Spreadsheet import and export of one department's list. Checking that the caller may edit
// the department (and writing the audit row) is the caller's job.
//
// Thread safe: each call borrows its own connection from the pool. Bad files and bad rows
// come back in ImportReport::errors (Chinese, with row numbers); infrastructure failure
// throws db::DbError, and apply() then has written nothing.
class ImportService {
 public:
  explicit ImportService(db::Pool& pool, ImportOptions options = {});

  // What apply() would do now with this file. Writes nothing.
  ImportReport preview(std::int64_t department_id, std::string_view csv);

  // Plans again under lock and, only if no row is wrong, writes every change in ONE
  // transaction: each a new version (change kind 新增/变更/取消/下放, the request's reason and
  // trigger) with its search change-log row, through the same writes PublishingService uses.
  // With any error nothing is written and the report lists the errors, as preview() would.
  ImportReport apply(std::int64_t department_id, std::string_view csv, const ApplyRequest& request);

  // The department's current list (all statuses) with the same headers, as UTF-8 with a BOM
  // and CRLF line ends, which Excel opens cleanly. Importing it unchanged changes nothing.
  // nullopt: no such department.
  std::optional<std::string> exportCsv(std::int64_t department_id);

 private:
  db::Pool& pool_;
  ImportOptions options_;
};

}  // namespace portal::publishing
