#include "tickets/defaults.h"

namespace kefu {

Status EnsureDefaults(Store& store, const Clock&) {
  return store.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(auto states, tx.ListStates());
    if (states.empty()) {
      const TicketState defaults[] = {
          {0, "新建", "New", StateType::kNew, true},
          {0, "处理中", "Open", StateType::kOpen, true},
          {0, "待客户回复", "Waiting for customer", StateType::kPendingCustomer, true},
          {0, "待内部处理", "Waiting on internal team", StateType::kPendingInternal, true},
          {0, "已解决", "Resolved", StateType::kResolved, true},
          {0, "已关闭", "Closed", StateType::kClosed, true},
          {0, "已合并", "Merged", StateType::kMerged, true},
      };
      for (auto s : defaults) KEFU_TRY(tx.InsertState(s));
    }
    KEFU_ASSIGN(auto categories, tx.ListCategories());
    if (categories.empty()) {
      const Category defaults[] = {
          {0, {}, "product_quality", "产品质量", "Product quality", true, 10},
          {0, {}, "logistics", "物流配送", "Logistics and delivery", true, 20},
          {0, {}, "service_attitude", "服务态度", "Service attitude", true, 30},
          {0, {}, "process_obstacle", "流程障碍", "Process obstacle", true, 40},
          {0, {}, "staff_skill", "员工技能", "Staff skill", true, 50},
          {0, {}, "billing", "账单费用", "Billing", true, 60},
          {0, {}, "technical_fault", "技术故障", "Technical fault", true, 70},
          {0, {}, "suggestion", "建议", "Suggestion", true, 80},
          {0, {}, "other", "其他", "Other", true, 90},
      };
      for (auto c : defaults) KEFU_TRY(tx.InsertCategory(c));
    }
    KEFU_ASSIGN(auto departments, tx.ListDepartments());
    if (departments.empty()) {
      const Department defaults[] = {
          {0, "product", "产品部", "Product"},
          {0, "logistics", "物流部", "Logistics"},
          {0, "technology", "技术部", "Technology"},
          {0, "sales", "销售部", "Sales"},
          {0, "finance", "财务部", "Finance"},
      };
      for (auto d : defaults) KEFU_TRY(tx.InsertDepartment(d));
    }
    return {};
  });
}

}  // namespace kefu
