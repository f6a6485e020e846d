"""Polish: a mobile and fixed telecom operator and what its customers complain about."""

from __future__ import annotations

from plaint.demo.specs import People, StaffEvidence, Texts, Theme

PEOPLE = People(
    male_first=("Piotr", "Krzysztof", "Tomasz", "Paweł", "Michał", "Marcin", "Jakub", "Adam",
                "Łukasz", "Grzegorz", "Mateusz", "Wojciech", "Kamil", "Andrzej"),
    female_first=("Anna", "Katarzyna", "Magdalena", "Agnieszka", "Joanna", "Małgorzata",
                  "Monika", "Ewa", "Aleksandra", "Natalia", "Karolina", "Zofia", "Marta", "Julia"),
    surnames=(("Nowak", "Nowak"), ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"),
              ("Wójcik", "Wójcik"), ("Kowalczyk", "Kowalczyk"), ("Kamiński", "Kamińska"),
              ("Lewandowski", "Lewandowska"), ("Zieliński", "Zielińska"),
              ("Szymański", "Szymańska"), ("Woźniak", "Woźniak"), ("Dąbrowski", "Dąbrowska"),
              ("Kozłowski", "Kozłowska"), ("Jankowski", "Jankowska"), ("Mazur", "Mazur"),
              ("Krawczyk", "Krawczyk"), ("Piotrowski", "Piotrowska")),
    streets=("ul. Marszałkowska", "ul. Puławska", "ul. Długa", "ul. Floriańska",
             "ul. Piotrkowska", "al. Jerozolimskie", "ul. Grunwaldzka", "ul. Słowackiego",
             "ul. Mickiewicza", "ul. Kościuszki"),
    cities=(("00-511", "Warszawa"), ("02-595", "Warszawa"), ("31-019", "Kraków"),
            ("90-001", "Łódź"), ("80-244", "Gdańsk"), ("50-001", "Wrocław"),
            ("60-101", "Poznań"), ("20-001", "Lublin")),
    positions={
        "agent": "Konsultant infolinii",
        "team_leader": "Kierownik zespołu",
        "complaints_officer": "Specjalista ds. reklamacji",
        "manager": "Dyrektor obsługi klienta",
        "org_admin": "Administrator systemu",
    },
    locations=("Warszawa – Mokotów", "Kraków – Zabłocie", "Gdańsk – Oliwa"),
    phone_format="+48 {a}{b:02d} {c:03d} {d:03d}",
    mail_domains=("wp.example", "onet.example", "interia.example", "o2.example"),
    accessibility_needs=(
        "Klientka niedowidząca: dokumenty w dużej czcionce lub jako tekst.",
        "Klient niesłyszący: kontakt wyłącznie pisemny (e-mail, SMS).",
        "Osoba starsza: prosi o kontakt telefoniczny przed południem.",
    ),
    services=("Abonament Komfort 5G", "Abonament Rodzina 4x", "Internet domowy Światłowód 600",
              "Telefon na raty", "Karta SIM na kartę"),
)

TEXTS = Texts(
    themes=(
        Theme("billing", "roaming_charges", "billing", "Abonament Komfort 5G",
              ("Opłaty za roaming w UE", "Wysoki rachunek po urlopie za granicą"),
              ("Po powrocie z urlopu w Chorwacji otrzymałem rachunek wyższy o {amount} za "
               "transmisję danych w roamingu. W UE obowiązuje zasada „roam like at home”.",
               "Naliczono mi opłaty roamingowe {amount}, choć byłam w kraju członkowskim UE "
               "i korzystałam z pakietu w abonamencie."),
              ("refund", "explanation"), (80, 650), "faktura_roaming.pdf", "Faktura z opłatami za roaming"),
        Theme("billing", "double_billing", "billing", "Abonament Rodzina 4x",
              ("Podwójne obciążenie karty", "Dwukrotnie pobrana opłata abonamentowa"),
              ("Opłata abonamentowa {amount} została pobrana z mojej karty dwa razy w tym samym "
               "dniu. Proszę o zwrot nadpłaty.",
               "Na wyciągu bankowym widzę dwie identyczne płatności za ten sam okres."),
              ("refund",), (59, 240), "wyciag_bankowy.pdf", "Wyciąg bankowy z dwiema płatnościami"),
        Theme("service_quality", "no_coverage", "technical", "Abonament Komfort 5G",
              ("Brak zasięgu w miejscu zamieszkania", "Zrywane połączenia"),
              ("Od miesiąca w moim mieszkaniu nie ma zasięgu, połączenia są zrywane po kilku "
               "sekundach. Płacę za usługę, z której nie mogę korzystać.",
               "Po modernizacji stacji bazowej w mojej okolicy nie mogę dodzwonić się z domu."),
              ("price_reduction", "repair"), (40, 200), "mapa_zasiegu.png",
              "Zrzut ekranu z pomiarem zasięgu", "png"),
        Theme("billing", "premium_sms", "billing", "Karta SIM na kartę",
              ("Nieznane usługi premium na rachunku", "Subskrypcja SMS premium bez zgody"),
              ("Na rachunku pojawiły się opłaty {amount} za usługi SMS premium, których nie "
               "zamawiałem. Proszę o zwrot i blokadę usług premium.",
               "Ktoś aktywował na moim numerze subskrypcję, o której nic nie wiem."),
              ("refund",), (30, 180), "rachunek.pdf", "Rachunek z usługami premium"),
        Theme("service_quality", "number_porting", "technical", "Przeniesienie numeru",
              ("Opóźnione przeniesienie numeru", "Numer nie działa po przeniesieniu"),
              ("Przeniesienie numeru miało nastąpić w ciągu jednego dnia roboczego, a od "
               "tygodnia nie mogę odbierać połączeń. Żądam odszkodowania {amount}.",
               "Po przeniesieniu numeru od innego operatora nie działają SMS-y."),
              ("compensation",), (50, 300), "potwierdzenie_przeniesienia.pdf",
              "Potwierdzenie wniosku o przeniesienie"),
        Theme("billing", "contract_extension", "billing", "Abonament Rodzina 4x",
              ("Aneks do umowy bez mojej zgody", "Przedłużenie umowy przez telefon"),
              ("Konsultant przedłużył mi umowę na 24 miesiące podczas rozmowy, na co nie "
               "wyraziłem zgody. Żądam rozwiązania aneksu bez kar.",
               "Otrzymałam aneks, którego nie podpisywałam. Proszę o jego anulowanie."),
              ("contract_termination", "explanation"), None, "aneks.pdf", "Przesłany aneks do umowy"),
        Theme("product", "defective_phone", "technical", "Telefon na raty",
              ("Wadliwy telefon kupiony na raty", "Telefon nie ładuje się"),
              ("Telefon kupiony w salonie po dwóch tygodniach przestał się ładować. Proszę o "
               "wymianę na nowy egzemplarz.",
               "Ekran telefonu miga i gaśnie, a to dopiero drugi miesiąc użytkowania."),
              ("replacement", "repair"), None, "zdjecie_telefonu.png",
              "Zdjęcie uszkodzonego telefonu", "png"),
        Theme("service_quality", "slow_internet", "technical", "Internet domowy Światłowód 600",
              ("Internet dużo wolniejszy niż w umowie", "Prędkość światłowodu poniżej normy"),
              ("Według umowy mam 600 Mb/s, a pomiary pokazują około 90 Mb/s. Proszę o obniżenie "
               "opłaty o {amount} za okres usterki.",
               "Od zmiany routera internet działa bardzo wolno, wideorozmowy się zacinają."),
              ("price_reduction", "repair"), (40, 160), "pomiar_predkosci.png",
              "Wyniki pomiaru prędkości", "png"),
    ),
    customer_messages=(
        "Dzień dobry, chciałbym zapytać, na jakim etapie jest moja reklamacja.",
        "Przesyłam dodatkowe informacje: problem powtórzył się wczoraj.",
        "Od tygodnia nikt się ze mną nie skontaktował, proszę o odpowiedź.",
        "Dziękuję za informację, czekam na dalsze kroki.",
    ),
    staff_messages=(
        "Dzień dobry, Państwa reklamacja została przyjęta i jest rozpatrywana.",
        "Przepraszamy za utrudnienia. Sprawę przekazaliśmy do działu technicznego.",
        "Dziękujemy za cierpliwość, odpowiedź prześlemy do końca tygodnia.",
    ),
    notes={
        "billing": (
            "Sprawdzone w systemie bilingowym: płatność zaksięgowana podwójnie.",
            "W historii konta brak blokady usług premium.",
            "Klient zdenerwowany, lepiej dzwonić po południu.",
            "Konsultacja z kierownikiem: proponujemy korektę faktury.",
        ),
        "technical": (
            "Dział sieci potwierdza awarię stacji bazowej w okolicy.",
            "Technik potwierdził pomiary na miejscu, wyniki w załączniku.",
            "Klient zdenerwowany, lepiej dzwonić po południu.",
            "Konsultacja z kierownikiem: proponujemy bonifikatę.",
        ),
    },
    questions={
        "billing": (
            ("Prosimy o podanie numeru faktury, której dotyczy reklamacja.",
             "Przesyłam numer faktury i wyciąg z konta."),
            ("Prosimy o podanie dat pobytu za granicą.",
             "Byłem w Chorwacji od 2 do 16 sierpnia."),
        ),
        "technical": (
            ("Prosimy o przesłanie wyników pomiaru prędkości przez kabel.",
             "Pomiar przez kabel wykonany, wyniki w załączniku."),
            ("Prosimy o podanie numeru IMEI telefonu.",
             "Numer IMEI: 356938035643809."),
        ),
    },
    calls_in=(
        "Klient dzwonił w sprawie statusu reklamacji, poinformowany o dalszych krokach.",
        "Klientka opisała problem, zweryfikowano numer umowy.",
        "Klient żądał rozmowy z przełożonym, sprawę przejmie kierownik zespołu.",
    ),
    calls_out={
        "billing": ("Oddzwonienie: wyjaśniono procedurę i termin odpowiedzi.",
                    "Poinformowano klienta o wyniku weryfikacji w bilingu."),
        "technical": ("Oddzwonienie: wyjaśniono procedurę i termin odpowiedzi.",
                      "Umówiono wizytę technika."),
    },
    own_calls=(
        "Dzwoniłem na infolinię, konsultant obiecał oddzwonić w ciągu dwóch dni.",
        "Na infolinii powiedziano mi, że awaria jest znana i usuwana.",
    ),
    callback_promise="Oddzwonienie ze statusem reklamacji",
    action_promise="Weryfikacja płatności w bilingu",
    escalation_reasons=(
        "Klient nie zgadza się z proponowanym rozwiązaniem.",
        "Sprawa wykracza poza uprawnienia pierwszej linii.",
        "Powtórna reklamacja tego samego problemu.",
        "Zbliża się ustawowy termin odpowiedzi (30 dni).",
    ),
    missed_callback_reason="Obiecane oddzwonienie nie nastąpiło.",
    supervisor_words=(
        "Chcę rozmawiać z przełożonym, konsultant nie potrafił mi pomóc.",
        "Proszę, aby moją reklamacją zajął się kierownik.",
    ),
    reasoning_upheld=(
        "Po weryfikacji stwierdziliśmy, że reklamacja jest zasadna; przepraszamy za utrudnienia.",
        "Błąd leżał po naszej stronie; uznajemy reklamację w całości.",
    ),
    reasoning_partly={
        "billing": ("Reklamację uwzględniamy częściowo: zwracamy różnicę, opłata za SIM jest należna.",
                    "Zwracamy opłaty premium z ostatniego okresu; wcześniejsze zostały zaakceptowane."),
        "technical": ("Awarię potwierdziliśmy tylko dla części wskazanego okresu; bonifikata "
                      "obejmuje te dni.",
                      "Prędkość była obniżona tylko wieczorami; przyznajemy proporcjonalną bonifikatę."),
    },
    reasoning_rejected={
        "billing": ("Opłata wynika z warunków podpisanej umowy; reklamacja nie została uwzględniona.",
                    "Transmisja danych odbyła się w strefie poza UE; opłaty naliczono zgodnie z cennikiem."),
        "technical": ("Pomiary po stronie sieci nie wykazały nieprawidłowości; reklamacji nie "
                      "uwzględniamy.",
                      "Uszkodzenie telefonu powstało mechanicznie i nie jest objęte gwarancją."),
    },
    remedy_detail="Korekta zostanie ujęta na najbliższej fakturze.",
    decision_rejections=(
        "Nie zgadzam się z decyzją, problem nadal występuje.",
        "Proponowana bonifikata nie pokrywa poniesionej szkody.",
    ),
    withdrawals=(
        "Klient poinformował, że problem ustąpił.",
        "Wycofuję reklamację, doszliśmy do porozumienia.",
    ),
    reopenings=(
        "Problem wrócił po dwóch tygodniach.",
        "Obiecanej korekty nie ma na fakturze.",
    ),
    closing_without_reply="Klient nie odpowiedział na decyzję w ciągu 14 dni.",
    final_response=(
        "Szanowni Państwo, ponownie rozpatrzyliśmy reklamację i podtrzymujemy nasze stanowisko. "
        "Mogą Państwo skorzystać z pozasądowego rozwiązania sporu przed {body} do {deadline}."
    ),
    external_body="Prezes Urzędu Komunikacji Elektronicznej (mediacja UKE)",
    external_reference="UKE-MED-{number}/26",
    external_outcomes=(
        "Mediacja zakończona ugodą: operator zwraca 70% kwoty.",
        "Mediator przyznał rację konsumentowi, operator zwraca całą kwotę.",
        "Operator odmówił udziału w mediacji; konsument poinformowany o drodze sądowej.",
    ),
    merge_reason="Ta sama reklamacja złożona drugi raz przez formularz.",
    staff_evidence={
        "billing": (
            StaffEvidence("historia_platnosci.txt", "Historia płatności z konta klienta",
                          ("Historia płatności klienta",
                           "12.09. karta 89,99 zł - zaksięgowano", "12.09. karta 89,99 zł - zaksięgowano",
                           "Saldo: nadpłata 89,99 zł")),
            StaffEvidence("notatka_z_rozmowy.txt", "Notatka z rozmowy z klientem",
                          ("Konsultant: Dzień dobry, w czym mogę pomóc?",
                           "Klient: Dzwonię w sprawie faktury za roaming.",
                           "Konsultant: Sprawdzę to i oddzwonimy jutro.")),
        ),
        "technical": (
            StaffEvidence("raport_sieci.txt", "Raport z monitoringu sieci",
                          ("Stacja bazowa WAW-MOK-112: niedostępna 02:10-09:35",
                           "Dotknięci abonenci: ok. 1800", "Przyczyna: awaria zasilania")),
            StaffEvidence("protokol_serwisu.txt", "Protokół z serwisu",
                          ("Urządzenie przyjęte do serwisu", "Diagnoza: uszkodzone gniazdo ładowania",
                           "Decyzja: wymiana na nowy egzemplarz")),
        ),
    },
)
