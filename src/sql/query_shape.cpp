#include "sql/query_shape.hpp"

namespace pgadvisor::sql {

const char* to_string(StatementKind k) {
    switch (k) {
        case StatementKind::Select: return "select";
        case StatementKind::Insert: return "insert";
        case StatementKind::Update: return "update";
        case StatementKind::Delete: return "delete";
        case StatementKind::Merge: return "merge";
        case StatementKind::Ddl: return "ddl";
        case StatementKind::Utility: return "utility";
        case StatementKind::Other: return "other";
    }
    return "other";
}

const char* to_string(PredicateClass c) {
    switch (c) {
        case PredicateClass::Equality: return "equality";
        case PredicateClass::InList: return "in-list";
        case PredicateClass::Range: return "range";
        case PredicateClass::IsNull: return "is-null";
        case PredicateClass::IsNotNull: return "is-not-null";
        case PredicateClass::LikePrefix: return "like-prefix";
        case PredicateClass::Other: return "other";
    }
    return "other";
}

const char* to_string(OperandKind k) {
    switch (k) {
        case OperandKind::Constant: return "constant";
        case OperandKind::Parameter: return "parameter";
        case OperandKind::Column: return "column";
        case OperandKind::Expression: return "expression";
        case OperandKind::None: return "none";
    }
    return "none";
}

const char* to_string(SortDirection d) {
    switch (d) {
        case SortDirection::Default: return "default";
        case SortDirection::Asc: return "asc";
        case SortDirection::Desc: return "desc";
    }
    return "default";
}

const char* to_string(NullsOrder n) {
    switch (n) {
        case NullsOrder::Default: return "default";
        case NullsOrder::First: return "first";
        case NullsOrder::Last: return "last";
    }
    return "default";
}

const char* to_string(ConflictAction a) {
    switch (a) {
        case ConflictAction::None: return "none";
        case ConflictAction::Nothing: return "do-nothing";
        case ConflictAction::Update: return "do-update";
    }
    return "none";
}

}  // namespace pgadvisor::sql
