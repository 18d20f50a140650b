"""A small household of documents for the search tests: three profiles, typical pages."""

from __future__ import annotations

from datetime import date

from server.search.contract import PageText, SearchDoc

DAD, KID, MUM = 1, 2, 3
FILLER = (
    "The patient was seen today for follow up and reports feeling well with no new complaints. "
    "Denies chest pain, shortness of breath, fever or chills. Diet and exercise discussed. "
)


def doc(
    doc_id: int, profile: int, doc_type: str, when: date, *pages: str, name: str = ""
) -> SearchDoc:
    return SearchDoc(
        doc_id=doc_id,
        profile=profile,
        name=name or f"document-{doc_id}.pdf",
        doc_type=doc_type,
        date=when,
        stamp=doc_id * 10,
        pages=tuple(PageText(i, text) for i, text in enumerate(pages, 1)),
    )


def household() -> list[SearchDoc]:
    return [
        doc(
            1,
            DAD,
            "lab",
            date(2023, 3, 14),
            "Lipid panel. Total cholesterol 212 mg/dL H. LDL cholesterol 140 mg/dL. "
            "HDL cholesterol 45 mg/dL. Hemoglobin A1c 7.2 % H.",
            "Comments: fasting specimen. Blood pressure at the visit was 130/85.",
            name="lipid-panel-2023.pdf",
        ),
        doc(
            2,
            DAD,
            "medication",
            date(2021, 6, 1),
            "Rx metformin 500 mg tablet. Sig: take one tablet by mouth twice daily. "
            "Dispense 60, refills 3.",
        ),
        doc(
            3,
            DAD,
            "lab",
            date(2019, 11, 2),
            "Hemoglobin Alc 6.8 % 4.0-5.6 H. Glucose, fasting 131 mg/dL H.",
            name="scanned-lab-2019.pdf",
        ),
        doc(
            4,
            KID,
            "immunization",
            date(2022, 9, 1),
            "Immunization record. Measles mumps rubella vaccine dose 2. Amoxicillin allergy: "
            "rash. Hemoglobin 12.5 g/dL.",
        ),
        doc(
            5,
            MUM,
            "visit",
            date(2024, 1, 10),
            "Visit note. Chief complaint: headache. The blood test was normal; pressure "
            "behind the eyes. Hemoglobin normal. " + FILLER * 3,
        ),
        doc(
            6,
            DAD,
            "visit",
            date(2020, 5, 5),
            FILLER * 6 + "Cholesterol to be rechecked next year. " + FILLER * 6,
        ),
        doc(7, DAD, "lab", date(2018, 2, 2), "Total cho1esterol 190 mg/dL, within range."),
    ]
