from django.apps import AppConfig


class CasenotesConfig(AppConfig):
    name = "safeguard.casenotes"
    label = "casenotes"
    verbose_name = "Case notes and documents"

    def ready(self) -> None:
        from safeguard.casenotes.casefile import CASE_NOTES_SECTION
        from safeguard.casenotes.chronology import notes_and_documents
        from safeguard.casework.casefile import register_section
        from safeguard.casework.chronology import register_source

        register_section(CASE_NOTES_SECTION)
        register_source(notes_and_documents)
