//! The one table of diagnostic codes.
//!
//! Codes are stable: a code is never reused for another meaning. `PG0xx` are problems
//! reading a document; the validation rules have codes from `PG100` up.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use crate::diagnostic::Severity;

macro_rules! codes {
    ($( $variant:ident = ($code:literal, $name:literal, $severity:ident, $summary:literal) {
        what: $what:literal, why: $why:literal, example: $example:literal $(,)?
    } )+) => {
        /// A diagnostic code. Each one is documented by [`Code::docs`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( #[doc = $summary] $variant, )+
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The code as written (`PG002`).
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)+ }
            }

            /// The kebab-case name (`unknown-field`).
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)+ }
            }

            /// The severity it has unless re-levelled.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)+ }
            }

            /// One line saying what it reports.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)+ }
            }

            /// What it checks, why that matters, and an example that triggers it.
            pub fn docs(self) -> RuleDocs {
                match self { $(Code::$variant => RuleDocs { what: $what, why: $why, example: $example },)+ }
            }

            /// The code with this text or name (`PG002` or `unknown-field`).
            pub fn find(text: &str) -> Option<Code> {
                let upper = text.to_ascii_uppercase();
                Code::ALL.iter().copied().find(|c| c.as_str() == upper || c.name() == text)
            }

            /// Whether this is a validation rule (as opposed to a problem reading the document).
            pub fn is_rule(self) -> bool {
                self.as_str() >= "PG100"
            }
        }
    };
}

/// Why a rule selector names no code it may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unselectable {
    /// It names a code that reports a problem reading the document, which no setting
    /// can change.
    Reading(Code),
    /// It names no code; `near` is the closest code, name or further word, when one is
    /// close enough to be a likely misspelling.
    Unknown {
        /// The closest candidate.
        near: Option<&'static str>,
    },
}

impl Code {
    /// Whether a setting (`settings.rules`, `--allow`, `--warn`, `--deny`) can change
    /// it: every validation rule, and PG009 (a rule setting that names no rule).
    pub fn is_settable(self) -> bool {
        self.is_rule() || self == Code::UnknownRuleSetting
    }

    /// The code a rule selector names: its code in any case (`PG305`, `pg305`) or its
    /// name (`missing-timeframe`). The one lookup behind a document's `settings.rules`,
    /// the command line's `--allow`, `--warn` and `--deny` and `policygraph rules CODE`.
    /// With `settable`, only codes a setting can change are named (the others are
    /// [`Unselectable::Reading`]); `also` are further words the caller takes (`warnings`),
    /// offered as hints when the text is near one.
    pub fn select(text: &str, settable: bool, also: &[&'static str]) -> Result<Code, Unselectable> {
        match Code::find(text) {
            Some(code) if !settable || code.is_settable() => Ok(code),
            Some(code) => Err(Unselectable::Reading(code)),
            None => {
                let names = Code::ALL
                    .iter()
                    .filter(|c| !settable || c.is_settable())
                    .flat_map(|c| [c.as_str(), c.name()])
                    .chain(also.iter().copied());
                Err(Unselectable::Unknown {
                    near: crate::diagnostic::did_you_mean(text, names),
                })
            }
        }
    }
}

impl Code {
    /// The group it belongs to, by its hundreds: `reading` (a problem reading the
    /// document), `references`, `structure`, `time`, `money`, `people`, `targets` or
    /// `coverage`.
    pub fn group(self) -> &'static str {
        match self.as_str().as_bytes().get(2) {
            Some(b'1') => "references",
            Some(b'2') => "structure",
            Some(b'3') => "time",
            Some(b'4') => "money",
            Some(b'5') => "people",
            Some(b'6') => "targets",
            Some(b'7') => "coverage",
            _ => "reading",
        }
    }
}

/// The documentation of a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct RuleDocs {
    /// What it checks.
    pub what: &'static str,
    /// Why that matters.
    pub why: &'static str,
    /// A document fragment that triggers it.
    pub example: &'static str,
}

codes! {
    Syntax = ("PG001", "syntax-error", Error, "the text is not valid in its format") {
        what: "The text cannot be parsed as YAML, JSON or TOML (whichever its extension names).",
        why: "Nothing else can be checked until the text parses.",
        example: "programme:\n  title: [unclosed\n",
    }
    UnknownField = ("PG002", "unknown-field", Error, "a field the format does not have") {
        what: "A mapping has a key the format does not define; the help names the nearest valid field.",
        why: "An unknown field is almost always a misspelling, and its value would be silently lost.",
        example: "programme:\n  id: p\n  titel: Work programme\n",
    }
    WrongType = ("PG003", "wrong-type", Error, "a value of the wrong type") {
        what: "A value is of the wrong type: text where a list is expected, a list where a mapping is expected.",
        why: "The value cannot mean what the field means.",
        example: "activities:\n  - id: A1\n    title: Expert group\n    funding: OB      # a list: [OB]\n",
    }
    InvalidValue = ("PG004", "invalid-value", Error, "a value that is not allowed") {
        what: "A value has the right type but not an allowed form: a day not in the calendar, a malformed timeframe or id, an unknown kind.",
        why: "Dates and timeframes drive every time check; a malformed one hides real problems.",
        example: "programme:\n  adopted: 2023-02-30\n",
    }
    MissingField = ("PG005", "missing-field", Error, "a required field is missing") {
        what: "A required field (an id, a title, an indicator's label) is absent. An outcome's `horizon` is optional: sources often do not state it.",
        why: "Elements without ids cannot be referenced; elements without titles cannot be read.",
        example: "outcomes:\n  - id: OC1    # title is missing\n",
    }
    DuplicateKey = ("PG006", "duplicate-key", Error, "the same key twice in one mapping") {
        what: "The same key appears twice in one mapping.",
        why: "Only one of the two values would count, and which one depends on the reader.",
        example: "programme:\n  title: First\n  title: Second\n",
    }
    LimitExceeded = ("PG007", "limit-exceeded", Error, "the input exceeds a safety bound") {
        what: "The input is larger, deeper or expands more aliases than the bounds set for untrusted documents.",
        why: "Reading must finish in bounded time and memory whatever the input.",
        example: "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n# ... and so on, nine levels deep\n",
    }
    Unreadable = ("PG008", "unreadable-file", Error, "the file cannot be read") {
        what: "The file is missing, unreadable, not UTF-8, or has an extension that names no format.",
        why: "There is nothing to check.",
        example: "policygraph check programme.docx\n",
    }
    UnknownRuleSetting = ("PG009", "unknown-rule-setting", Warning, "the settings name a rule that does not exist") {
        what: "`settings.rules` names a code or rule name that does not exist.",
        why: "The setting has no effect, which is rarely what its author meant.",
        example: "settings:\n  rules:\n    PG999: off\n",
    }
    UnknownReference = ("PG101", "unknown-reference", Error, "a reference to an id that does not exist") {
        what: "A field that refers to another element by id names an id no element has; the help names the nearest id.",
        why: "The link the author meant is missing, so coverage and traceability are wrong.",
        example: "activities:\n  - id: A1\n    title: Expert group\n    addresses: [P1.9]   # no such line of action\n",
    }
    DuplicateId = ("PG102", "duplicate-id", Error, "two elements share an id") {
        what: "Two elements have the same id. Ids are unique across the whole document.",
        why: "References to the id are ambiguous: only the first element receives them.",
        example: "activities:\n  - {id: A1, title: One}\n  - {id: A1, title: Two}\n",
    }
    WrongKindReference = ("PG103", "wrong-kind-reference", Error, "a reference to an element of the wrong kind") {
        what: "A reference names an element of a kind the field does not take, such as an indicator in `addresses`.",
        why: "The link cannot mean what the field says.",
        example: "activities:\n  - id: A1\n    title: Expert group\n    addresses: [I1]     # an indicator, not a line of action\n",
    }
    UndatedAnchor = ("PG104", "undated-anchor", Info, "a timeframe anchored to an element with no date") {
        what: "An activity's timeframe, a milestone's or deliverable's due date, an indicator's target date, a partner's participation or a review's date is anchored to another element (`{after: A8.M1, within: 12 months}`), but the end it counts from is not stated: the anchor has no timeframe or due date, is open-ended (`after` counts from its end) or a deadline (`before` counts from its start), is a condition, or the anchors form a cycle. Its date cannot be derived, so the period and parent rules do not check it.",
        why: "A date counted from an undated event is unknown; dating the anchor lets the timeframe be checked.",
        example: "activities:\n  - id: A8\n    title: Guidance\n    milestones:\n      - {id: A8.M1, title: Guidance issued}\n  - id: A9\n    title: Roll-out\n    timeframe: {after: A8.M1, within: 12 months}\n",
    }
    HierarchyCycle = ("PG201", "hierarchy-cycle", Error, "a cycle in the results chain") {
        what: "Outcomes (and outputs) that lead to each other through `contributes_to` in a circle.",
        why: "A results chain runs from immediate to long-term effects; a cycle has no top and no bottom.",
        example: "outcomes:\n  - {id: OC1, title: A, horizon: short_term, contributes_to: [OC2]}\n  - {id: OC2, title: B, horizon: medium_term, contributes_to: [OC1]}\n",
    }
    OrphanElement = ("PG202", "orphan-element", Warning, "an element nothing links to") {
        what: "An outcome, output, funding source, partner or network that no other element refers to, or an indicator that nothing counts toward and that measures nothing (one that measures something but has no contributors is reported by PG604; one with `scope: programme` is measured across every activity and needs neither). A cross-reference (`refers_to`) says where to look and links nothing: an element only cross-referenced is reported.",
        why: "An element nothing links to is either dead weight or a link the author forgot.",
        example: "funding_sources:\n  - {id: EBR, title: Extra-budgetary resources}   # no activity lists EBR\n",
    }
    EmptyTitle = ("PG203", "empty-title", Warning, "an element with an empty title") {
        what: "An element's title (or an indicator's label) is empty or only spaces.",
        why: "Reports and diagrams show titles; an empty one is unreadable.",
        example: "activities:\n  - {id: A1, title: \"\"}\n",
    }
    ActiveUnderCancelled = ("PG204", "active-under-cancelled", Warning, "active work under cancelled work") {
        what: "A sub-activity or milestone states a status other than `cancelled` (`ongoing`, `new`) while the activity it belongs to is cancelled (its own status, or one it inherits).",
        why: "Work cannot go on inside work that was dropped: either the parent is not cancelled, or the child is cancelled with it.",
        example: "activities:\n  - id: A1\n    title: Academy\n    status: cancelled\n    activities:\n      - {id: A1.1, title: Course, status: ongoing}\n",
    }
    TimeframeOutsidePeriod = ("PG301", "timeframe-outside-period", Error, "a timeframe outside the programme period") {
        what: "An activity's timeframe, or a milestone's or review's date, lies outside the programme's period; so does a deliverable's due date or bounded recurrence when its activity has no time to compare it with (else PG303 names the period). Cancelled work is not checked. When it lies outside the timeframe of its activity too, this one finding names both, and PG302 or PG303 does not report it again. A deadline (`by 2020-06`) is compared by its end only, open-ended work (`ongoing from 2016-07-01`) by its start only: the end not stated is never invented.",
        why: "Work planned outside the period is not part of the programme, or the period is wrong.",
        example: "programme: {id: p, title: P, period: 2023-2025}\nactivities:\n  - {id: A1, title: Late, timeframe: \"2026\"}\n",
    }
    ChildOutsideParent = ("PG302", "child-outside-parent", Warning, "a sub-activity's timeframe outside its parent's") {
        what: "A sub-activity or topic runs outside the timeframe (own or inherited) of the activity it belongs to, including between the segments of a timeframe such as `2023 and 2025`. One that runs outside the programme period as well is reported once, by PG301 (unless it is switched off).",
        why: "A topic cannot run when its activity does not; one of the two timeframes is wrong.",
        example: "activities:\n  - id: A1\n    title: Academy\n    timeframe: 2023-24\n    activities:\n      - {id: A1.1, title: Course, timeframe: \"2025\"}\n",
    }
    DueOutsideActivity = ("PG303", "due-outside-activity", Warning, "a deliverable due outside its activity's timeframe") {
        what: "A deliverable or milestone is due outside the timeframe (own or inherited) of its activity; for an activity with no timeframe but sub-activities that all have one, outside the time they cover together. A deliverable's bounded recurrence (`every 12 months in 2025-2029`) is compared the same way, and a milestone shared with further activities (`also_in`) with each of theirs. Cancelled work is not checked. A milestone due outside the programme period as well is reported once, by PG301 (unless it is switched off); a deliverable's finding names the period too.",
        why: "Nothing can be delivered by an activity that is not running.",
        example: "activities:\n  - id: WP1\n    title: Evidence\n    timeframe: M1-M12\n    deliverables:\n      - {id: D1.1, title: Report, due: M18}\n",
    }
    TargetDateOutsidePeriod = ("PG304", "target-date-outside-period", Warning, "an indicator's target date outside the programme period") {
        what: "An indicator's target date lies outside the programme's period. A target date counted from another element (`{after: A8.M1, within: 18 months}`) is compared by the dates derived from its anchor, which the finding names; it points at `within`.",
        why: "The programme cannot be judged on a target it does not reach within its own period.",
        example: "programme: {id: p, title: P, period: 2023-2025}\nindicators:\n  - {id: I1, label: Papers, target: 4, target_date: \"2027\"}\n",
    }
    MissingTimeframe = ("PG305", "missing-timeframe", Warning, "an activity with no timeframe, of its own or inherited") {
        what: "An activity has no timeframe, neither has any activity it belongs to, and its timeframe cannot be derived from its sub-activities (an activity with no timeframe whose sub-activities all have one, of their own or derived in the same way, runs when they do and is not reported). Reported once per unscheduled top-level activity; the message names the sub-activities that have no timeframe of their own either (so inherit none). Cancelled work (`status: cancelled`, or nested in a cancelled activity) is not reported.",
        why: "Work with no timeframe cannot be scheduled, checked against the period or counted per year.",
        example: "activities:\n  - {id: A7, title: Children and addictions}   # no timeframe\n",
    }
    DependencyStartsEarly = ("PG306", "dependency-starts-early", Warning, "work that starts before what it depends on ends, or starts") {
        what: "An activity starts (or a milestone or deliverable is due) before the end of an activity, milestone or deliverable listed in its `depends_on` (a finish-to-start dependency, the default), or before its start (`type: start_to_start`); the finding names the start and the end (or the two starts) it compares. A timeframe counted from another element is compared by its derived dates (one counted `after` what it depends on opens as that ends and is in order), and an activity with no timeframe of its own by the time its sub-activities cover together. Work with a deadline (`by 2020-06`, no stated start) or a dependency that is open-ended (`ongoing from 2016-07-01`, no stated end) is compared only by the ends that are known. A milestone or deliverable is taken to happen at the end of its `due`, so it may be due when what it depends on ends. A dependency of `type: informs` implies no order in time and is never reported.",
        why: "The plan cannot be carried out in the order it states.",
        example: "activities:\n  - {id: WP1, title: Evidence, timeframe: M1-M18}\n  - {id: WP2, title: Training, timeframe: M6-M36, depends_on: [WP1]}\n  - {id: WP3, title: Pilots, timeframe: M1-M12, depends_on: [{id: WP2, type: start_to_start}]}\n",
    }
    DependencyCycle = ("PG307", "dependency-cycle", Error, "work that depends on itself in a circle") {
        what: "Activities, milestones or deliverables whose `depends_on` lists lead back to themselves, through dependencies that imply an order in time (any type but `informs`: work that informs each other is no circle), one of them finish to start (a circle of start-to-start and finish-to-finish links only can be kept: the work starts, or ends, together).",
        why: "None of them can ever start.",
        example: "activities:\n  - {id: A1, title: One, depends_on: [A2]}\n  - {id: A2, title: Two, depends_on: [A1]}\n",
    }
    DependencyEndsEarly = ("PG308", "dependency-ends-early", Warning, "work that ends before what it depends on ends (finish to finish)") {
        what: "An activity ends (or a milestone or deliverable is due) before the end of an activity, milestone or deliverable it depends on with `type: finish_to_finish`; the finding names the two ends it compares. A milestone or deliverable is taken to happen at the end of its `due`.",
        why: "Work that can only be finished once another is finished is planned to end first: one of the two timeframes, or the dependency, is wrong.",
        example: "activities:\n  - {id: WP1, title: Evidence, timeframe: M1-M24}\n  - {id: WP2, title: Synthesis, timeframe: M6-M18, depends_on: [{id: WP1, type: finish_to_finish}]}\n",
    }
    MonthZero = ("PG309", "month-zero", Info, "a timeframe that counts from month zero") {
        what: "A timeframe writes `M0`, month zero, as EU work plans do for \"from the start\" (`M0-M48`). It is accepted and read as the programme's start, the first day of `M1`: `M0-M48` covers the same months as `M1-M48`. The finding says how it was read, once per timeframe.",
        why: "Months from the start count from `M1`; `M0` is not a month of its own, so a reader should know that it was taken for the start.",
        example: "programme: {id: p, title: P, period: M1-M48}\nactivities:\n  - {id: WP1, title: Management, timeframe: M0-M48}\n",
    }
    MixedRangeWithoutStart = ("PG310", "mixed-range-without-start", Warning, "a range mixing a date with months from the start, in a programme with no start date") {
        what: "A timeframe's range runs from a calendar date to a month from the start, or the other way round (`2016-07-01 to M48`), but the programme states no `start`, so the months cannot be put on the calendar. Such a timeframe is not compared with any other. A period that runs from a day to a month from the start (`period: 2016-07-01 to M48`) states the start itself: that day.",
        why: "The range has one end on the calendar and one in programme months; without the start date, neither its length nor its place against the period can be known.",
        example: "programme: {id: p, title: P, period: 2016-2020}   # no start\nactivities:\n  - {id: WP1, title: Management, timeframe: 2016-07-01 to M48}\n",
    }
    ReversedRange = ("PG311", "reversed-range", Error, "a range mixing a date with months from the start that ends before it starts") {
        what: "A timeframe's range runs from a calendar date to a month from the start, or the other way round, and once its months are put on the calendar from the programme's `start` it ends before it starts (`2016-07-01 to M1` in a programme that starts on 2016-09-01). The finding names both ends as dates. Such a range covers no time and is compared with nothing. The grammar refuses every other reversed range (`2025-2023`, `M48-M1`) when the document is read.",
        why: "A range that ends before it starts has its ends swapped, a wrong month or a wrong date; no rule can place it.",
        example: "programme: {id: p, title: P, period: 2016-2020, start: 2016-09-01}\nactivities:\n  - {id: WP1, title: Management, timeframe: 2016-07-01 to M1}\n",
    }
    UndeclaredFunding = ("PG401", "undeclared-funding", Error, "an allocation from a source the activity does not list") {
        what: "An activity's budget allocates money from a funding source its `funding` list does not name.",
        why: "The activity's funding list and its budget disagree about where the money comes from.",
        example: "activities:\n  - id: A1\n    title: Academy\n    funding: [OB]\n    budget:\n      allocations: [{source: VC, amount: 5000}]\n",
    }
    FundingNotInParent = ("PG402", "funding-not-in-parent", Warning, "a sub-activity funded by a source its parent lacks") {
        what: "A sub-activity or topic lists a funding source that the nearest activity above it that lists any funding does not list. Sub-activities of activities that list no funding at all are not checked.",
        why: "Money reaches a topic through its activity; a source only the topic names is unaccounted for at the level that is budgeted.",
        example: "activities:\n  - id: A5\n    title: Academy\n    funding: [OB]\n    activities:\n      - {id: A5.1, title: Course, funding: [VC]}\n",
    }
    NegativeAmount = ("PG403", "negative-amount", Error, "a negative amount of money or effort") {
        what: "A budget, allocation, declared amount or effort is below zero.",
        why: "Plans allocate, they do not withdraw; a negative amount is a typing error.",
        example: "activities:\n  - id: A1\n    title: Academy\n    budget: {total: -5000}\n",
    }
    AllocationExceedsDeclared = ("PG404", "allocation-exceeds-declared", Error, "allocations of a source in a year above what it declares") {
        what: "The allocations from one funding source in one year, summed over all activities, exceed what the source declares for that year (entries for the same year are added), or fall in a year for which a source that declares per year declares nothing; or all allocations from a source exceed its stated total.",
        why: "The plan spends money the source does not provide.",
        example: "funding_sources:\n  - {id: VC, title: Voluntary contributions, declared: [{year: 2024, amount: 10000}]}\nactivities:\n  - {id: A1, title: One, funding: [VC], budget: {allocations: [{source: VC, year: 2024, amount: 12000}]}}\n",
    }
    TotalMismatch = ("PG405", "total-mismatch", Error, "a stated total that differs from the sum of its parts") {
        what: "A stated total differs from the sum of its parts: an activity's budget total and its allocations, a funding source's total and its declared amounts, a partner's person-months and its effort on activities (with the effort of its linked third parties, the partners whose `linked_to` names it, and effort stated under one of its former ids in `also_known_as`).",
        why: "One of the figures is wrong, and readers cannot tell which.",
        example: "activities:\n  - id: A1\n    title: One\n    funding: [OB]\n    budget: {total: 100, allocations: [{source: OB, amount: 60}, {source: OB, amount: 30}]}\n",
    }
    MixedCurrencies = ("PG406", "mixed-currencies", Warning, "amounts in different currencies added together") {
        what: "Amounts that are summed (allocations of one source, the parts of a total) are stated in different currencies.",
        why: "Sums across currencies are meaningless without a rate.",
        example: "programme: {id: p, title: P, currency: EUR}\nfunding_sources:\n  - {id: VC, title: Voluntary, currency: CHF, declared: [{year: 2024, amount: 100}]}\nactivities:\n  - {id: A1, title: One, funding: [VC], budget: {allocations: [{source: VC, year: 2024, amount: 50}]}}\n",
    }
    AmountOverflow = ("PG407", "amount-overflow", Error, "amounts that add up to more than an exact decimal holds") {
        what: "A sum or product the checks and the coverage form cannot be held exactly: the allocations from one funding source (in one year or in all), the amounts a source declares, an activity's allocations beside its stated total, a partner's effort summed over activities (alone, or with its linked third parties'), or the planned quantity of an indicator (each deliverable's quantity times its occurrences). Exact decimals hold 28 to 29 significant digits, up to `79228162514264337593543950335`.",
        why: "The figure cannot be computed without rounding, so the checks that need it (PG404, PG405) and the indicator's coverage are left unknown rather than wrong.",
        example: "funding_sources:\n  - {id: VC, title: Voluntary contributions}\nactivities:\n  - id: A1\n    title: One\n    funding: [VC]\n    budget:\n      allocations:\n        - {source: VC, amount: \"79228162514264337593543950335\"}\n        - {source: VC, amount: 1}\n",
    }
    PersonMonthsMismatch = ("PG408", "person-months-mismatch", Warning, "an activity's planned person-months differ from its partners' effort") {
        what: "An activity states a total `person_months` that differs from the sum of the partner effort stated on it and its sub-activities. The message names both figures and the partners whose effort makes the sum (effort stated under a former id, `also_known_as`, is that partner's share); activities with no stated effort are not checked.",
        why: "A work package's planned effort and its partners' shares are two statements of one figure; when they disagree one of them is wrong.",
        example: "activities:\n  - id: WP1\n    title: Evidence\n    person_months: 150\n    effort: [{partner: UNI, person_months: 100}, {partner: NGO, person_months: 20}]\n",
    }
    EffortOutsideParticipation = ("PG501", "effort-outside-participation", Warning, "partner effort on an activity outside the partner's participation") {
        what: "A partner has effort on an activity whose timeframe falls (partly) outside the partner's participation dates. A participation written `ongoing from 2016-07-01` has no stated end: work before its start is outside it, and nothing after is. A participation (or timeframe) counted from another element (`{after: MS1, within: 24 months}`) is compared by the dates derived from its anchor.",
        why: "A partner that joins late or leaves early cannot work on the activity for its whole timeframe.",
        example: "partners:\n  - {id: NGO, title: Example NGO, participation: M7-M36}\nactivities:\n  - {id: WP1, title: Evidence, timeframe: M1-M18, effort: [{partner: NGO, person_months: 6}]}\n",
    }
    RoleOutsideParticipation = ("PG502", "role-outside-participation", Warning, "a partner leads or joins work entirely outside its participation") {
        what: "A partner leads or takes part in an activity (`lead`, `partners`), a deliverable or a milestone (`lead`, `partners`, when it is due) whose time lies entirely outside the partner's participation dates. Effort is PG501's. A participation counted from another element is compared by its derived dates, which the finding names.",
        why: "A partner cannot do work planned for when it is not part of the programme; the role, the dates or the participation is wrong.",
        example: "partners:\n  - {id: NGO, title: Example NGO, participation: M13-M36}\nactivities:\n  - {id: WP1, title: Evidence, timeframe: M1-M12, lead: NGO}\n",
    }
    RolePartlyOutsideParticipation = ("PG503", "role-partly-outside-participation", Info, "a partner leads or joins work that runs partly outside its participation") {
        what: "A partner leads or takes part in an activity, deliverable or milestone whose time overlaps the partner's participation but does not lie within it.",
        why: "A partner that joins late or leaves early takes its role for only part of the work; worth a look, often intended.",
        example: "partners:\n  - {id: NGO, title: Example NGO, participation: M7-M36}\nactivities:\n  - {id: WP1, title: Evidence, timeframe: M1-M18, partners: [NGO]}\n",
    }
    PercentOutOfRange = ("PG601", "percent-out-of-range", Error, "a percentage outside 0–100") {
        what: "An indicator counted in `percent` has a target or baseline below 0 or above 100.",
        why: "Such a value cannot be reached.",
        example: "indicators:\n  - {id: I6, label: Participants gaining knowledge, unit: percent, target: 185}\n",
    }
    TargetWithoutUnit = ("PG602", "target-without-unit", Warning, "an indicator with a target but no unit") {
        what: "An indicator states a target (or baseline) without a unit.",
        why: "Without a unit, \"85\" may be a count or a percentage; progress cannot be judged.",
        example: "indicators:\n  - {id: I1, label: Policy papers, target: 4}\n",
    }
    IndicatorWithoutOutcome = ("PG603", "indicator-without-outcome", Warning, "an indicator that measures nothing") {
        what: "An indicator has no `measures` link: it measures no outcome, output, deliverable or milestone.",
        why: "An indicator that measures nothing says nothing about whether the programme works.",
        example: "indicators:\n  - {id: I1, label: Policy papers, unit: count, target: 4}\n",
    }
    IndicatorWithoutContributors = ("PG604", "indicator-without-contributors", Warning, "an indicator nothing counts toward") {
        what: "No deliverable, milestone or activity has the indicator in its `counts_toward`. An indicator with `scope: programme` is measured across every activity and is not checked, nor is one whose target is a limit not to exceed (`target: {at_most: 30}`): nothing needs to produce it.",
        why: "Nothing in the plan of work is meant to move the indicator, so its target is unplanned.",
        example: "indicators:\n  - {id: I4, label: Reviewed national strategies, unit: count, target: 3, measures: OC1}\n",
    }
    IndicatorWithoutTarget = ("PG605", "indicator-without-target", Warning, "an indicator with no target") {
        what: "An indicator states no `target`.",
        why: "Without a target an indicator can be measured but the programme cannot be judged on it.",
        example: "indicators:\n  - {id: I1, label: Countries engaged, unit: count, measures: OC1}\n",
    }
    IndicatorWithoutBaseline = ("PG606", "indicator-without-baseline", Info, "an indicator with a target but no baseline") {
        what: "An indicator states a `target` but no `baseline`; an indicator with no target is PG605's.",
        why: "Without the starting value, progress toward the target cannot be told from the value reached.",
        example: "indicators:\n  - {id: I1, label: Policy papers, unit: count, target: 4, measures: OC1}\n",
    }
    EmptyMeasurement = ("PG607", "empty-measurement", Warning, "a milestone or indicator whose measurement is empty") {
        what: "A milestone's `measurement` or `verification`, or an indicator's `verification`, is present but empty or only spaces.",
        why: "A field left blank says the source had something to state there; a milestone or indicator that cannot be measured cannot be seen to be reached.",
        example: "activities:\n  - id: A1\n    title: Guidance\n    milestones:\n      - {id: A1.M1, title: Guidance issued, due: 2024-06, measurement: \"\"}\n",
    }
    PriorityWithoutActions = ("PG701", "priority-without-actions", Warning, "a priority without lines of action") {
        what: "A strategic priority has no lines of action and no activity addresses it directly (a cancelled activity carries nothing out and does not count).",
        why: "A priority with no lines of action and no activity has no path to the plan of work.",
        example: "priorities:\n  - {id: P5, title: A new priority}\n",
    }
    UncoveredAction = ("PG702", "uncovered-action", Warning, "a line of action that no activity addresses") {
        what: "No activity addresses the line of action, directly or through one of its sub-lines.",
        why: "A line of action with no activity will not be carried out.",
        example: "priorities:\n  - id: P1\n    title: Human rights\n    actions:\n      - {id: P1.5, title: Creating opportunities to move from stigma to inclusion}\n",
    }
    ActivityWithoutDeliverables = ("PG703", "activity-without-deliverables", Warning, "an activity without deliverables") {
        what: "An activity has no deliverables, none of its sub-activities has any, and no activity it belongs to has deliverables of its own (an activity's own deliverables serve its topics). Cancelled work (`status: cancelled`, or nested in a cancelled activity) is not reported.",
        why: "Work that delivers nothing cannot be seen to be done, or counted toward a target.",
        example: "activities:\n  - {id: A5.6, title: Role of police in drug prevention, timeframe: \"2023\"}\n",
    }
    UnalignedActivity = ("PG704", "unaligned-activity", Warning, "a top-level activity that addresses no priority or line of action") {
        what: "A top-level activity states no `addresses`, and neither does any of its sub-activities, in a programme that has priorities. Cancelled activities are not checked.",
        why: "Work that serves no priority cannot be traced to the programme's purpose, and coverage cannot count it.",
        example: "priorities:\n  - {id: P1, title: Human rights}\nactivities:\n  - {id: A1, title: Expert group}\n",
    }
    AddressesCancelledPriority = ("PG705", "addresses-cancelled-priority", Warning, "active work that addresses a cancelled priority") {
        what: "An activity that is not cancelled addresses a priority whose status is `cancelled`, or a line of action of such a priority.",
        why: "Work planned for a dropped objective is either dropped too or should serve another priority.",
        example: "priorities:\n  - {id: P2, title: Old objective, status: cancelled}\nactivities:\n  - {id: A1, title: Expert group, addresses: [P2]}\n",
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<'de, str>::deserialize(d)?;
        Code::find(&s).ok_or_else(|| de::Error::custom(format!("`{s}` is not a diagnostic code")))
    }
}

impl JsonSchema for Code {
    fn schema_name() -> Cow<'static, str> {
        "Code".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        json_schema!({
            "type": "string",
            "enum": codes,
            "description": "A stable diagnostic code."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_lookup_selects_rules_by_code_or_name() {
        let pg305 = Ok(Code::MissingTimeframe);
        assert_eq!(Code::select("PG305", true, &[]), pg305);
        assert_eq!(Code::select("pg305", true, &[]), pg305);
        assert_eq!(Code::select("missing-timeframe", true, &[]), pg305);
        assert_eq!(
            Code::select("PG009", true, &[]),
            Ok(Code::UnknownRuleSetting)
        );
        // a reading problem is named, but no setting can change it
        assert_eq!(
            Code::select("PG002", true, &[]),
            Err(Unselectable::Reading(Code::UnknownField))
        );
        assert_eq!(Code::select("PG002", false, &[]), Ok(Code::UnknownField));
        assert_eq!(
            Code::select("missing-timeframes", true, &[]),
            Err(Unselectable::Unknown {
                near: Some("missing-timeframe")
            })
        );
        assert_eq!(
            Code::select("warnigns", true, &["warnings"]),
            Err(Unselectable::Unknown {
                near: Some("warnings")
            })
        );
        assert_eq!(
            Code::select("colour", true, &[]),
            Err(Unselectable::Unknown { near: None })
        );
    }

    #[test]
    fn codes_are_listed_in_order() {
        let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(codes, sorted, "keep the table of codes in code order");
    }

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "duplicate code {c}");
            assert!(seen.insert(c.name()), "duplicate name {}", c.name());
            assert!(c.as_str().starts_with("PG") && c.as_str().len() == 5);
            assert!(
                c.name()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-')
            );
            assert_eq!(Code::find(c.as_str()), Some(*c));
            assert_eq!(Code::find(c.name()), Some(*c));
            let s = c.summary();
            assert!(!s.ends_with('.') && s.chars().next().is_some_and(char::is_lowercase));
            let docs = c.docs();
            assert!(
                docs.what.ends_with('.') && docs.why.ends_with('.') && !docs.example.is_empty()
            );
        }
    }
}
