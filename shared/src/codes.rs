//! Wire codes of plain enums: the snake_case names serde writes, as
//! `&'static str`, for SQL columns, `<select>` values and query strings.

/// Gives a unit-only enum `ALL` (its variants in order), `code()` (the name
/// serde writes) and `from_code()`. The codes are written out, not derived,
/// so a renamed variant cannot silently change what is stored; a test per
/// enum checks they equal serde's.
macro_rules! wire_codes {
    ($ty:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $ty {
            /// Every variant, in the order the invocation lists them.
            pub const ALL: [$ty; [$($code),+].len()] = [$($ty::$variant),+];

            /// The wire name (as serde writes it).
            pub fn code(self) -> &'static str {
                match self {
                    $($ty::$variant => $code),+
                }
            }

            /// The variant whose wire name is `code` (exact, case-sensitive), or
            /// `None` for anything else.
            pub fn from_code(code: &str) -> Option<$ty> {
                $ty::ALL.into_iter().find(|v| v.code() == code)
            }
        }
    };
}

pub(crate) use wire_codes;

#[cfg(test)]
mod tests {
    use crate::area::AreaKind;
    use crate::citizen::BenefitType;
    use crate::committee::{Screening, Stage};
    use crate::drawing_right::Rollover;
    use crate::grant::{AllowanceUnit, Service};
    use crate::meeting::MeetingStatus;
    use crate::notice::Decision;
    use crate::plan::{ActionStatus, Conclusion, ConsentState, GoalStatus};
    use crate::time::PeriodKind;
    use crate::visit::{VisitKind, VisitStatus};

    fn check<T>(all: &[T], code: impl Fn(&T) -> &'static str, from: impl Fn(&str) -> Option<T>)
    where
        T: serde::Serialize + PartialEq + std::fmt::Debug + Copy,
    {
        for v in all {
            assert_eq!(serde_json::to_value(v).expect("json"), serde_json::Value::String(code(v).into()));
            assert_eq!(from(code(v)), Some(*v));
        }
        assert_eq!(from("nonsense"), None);
    }

    #[test]
    fn codes_are_what_serde_writes() {
        check(&VisitKind::ALL, |v| v.code(), VisitKind::from_code);
        check(&VisitStatus::ALL, |v| v.code(), VisitStatus::from_code);
        check(&Service::ALL, |v| v.code(), Service::from_code);
        check(&AllowanceUnit::ALL, |v| v.code(), AllowanceUnit::from_code);
        check(&PeriodKind::ALL, |v| v.code(), PeriodKind::from_code);
        check(&Rollover::ALL, |v| v.code(), Rollover::from_code);
        check(&BenefitType::ALL, |v| v.code(), BenefitType::from_code);
        check(&AreaKind::ALL, |v| v.code(), AreaKind::from_code);
        check(&ConsentState::ALL, |v| v.code(), ConsentState::from_code);
        check(&GoalStatus::ALL, |v| v.code(), GoalStatus::from_code);
        check(&ActionStatus::ALL, |v| v.code(), ActionStatus::from_code);
        check(&Conclusion::ALL, |v| v.code(), Conclusion::from_code);
        check(&Decision::ALL, |v| v.code(), Decision::from_code);
        check(&MeetingStatus::ALL, |v| v.code(), MeetingStatus::from_code);
        check(&Screening::ALL, |v| v.code(), Screening::from_code);
        check(&Stage::ALL, |v| v.code(), Stage::from_code);
    }
}
