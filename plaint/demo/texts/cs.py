"""Czech: a fixed-line and fibre internet provider and what its customers complain about."""

from __future__ import annotations

from plaint.demo.specs import People, StaffEvidence, Texts, Theme

PEOPLE = People(
    male_first=("Petr", "Jan", "Tomáš", "Martin", "Jakub", "Lukáš", "Ondřej", "Pavel", "Jiří",
                "Michal", "David", "Vojtěch", "Filip", "Karel"),
    female_first=("Jana", "Eva", "Lucie", "Kateřina", "Tereza", "Veronika", "Markéta", "Hana",
                  "Petra", "Barbora", "Zuzana", "Alena", "Simona", "Michaela"),
    surnames=(("Novák", "Nováková"), ("Svoboda", "Svobodová"), ("Dvořák", "Dvořáková"),
              ("Černý", "Černá"), ("Procházka", "Procházková"), ("Kučera", "Kučerová"),
              ("Veselý", "Veselá"), ("Horák", "Horáková"), ("Němec", "Němcová"),
              ("Marek", "Marková"), ("Pokorný", "Pokorná"), ("Král", "Králová"),
              ("Růžička", "Růžičková"), ("Beneš", "Benešová"), ("Fiala", "Fialová"),
              ("Sedláček", "Sedláčková")),
    streets=("Vinohradská", "Sokolovská", "Masarykova", "Husova", "Palackého", "Nádražní",
             "Komenského", "Lidická", "Jugoslávských partyzánů", "Na Příkopě", "Pražská"),
    cities=(("120 00", "Praha 2"), ("186 00", "Praha 8"), ("602 00", "Brno"),
            ("702 00", "Ostrava"), ("301 00", "Plzeň"), ("370 01", "České Budějovice"),
            ("779 00", "Olomouc"), ("460 01", "Liberec")),
    positions={
        "agent": "Operátor zákaznické linky",
        "team_leader": "Vedoucí týmu",
        "complaints_officer": "Specialista reklamací",
        "manager": "Ředitel zákaznických služeb",
        "org_admin": "Správce systému",
    },
    locations=("Praha – Karlín", "Brno – Královo Pole", "Ostrava – centrum"),
    phone_format="+420 {a}{b:02d} {c:03d} {d:03d}",
    mail_domains=("seznam.example", "email.example", "centrum.example", "post.example"),
    accessibility_needs=(
        "Nevidomý zákazník: posílat dokumenty jako prostý text pro odečítač obrazovky.",
        "Nedoslýchavá: nevolat, komunikovat e-mailem nebo SMS.",
        "Pohyb na vozíku: technik musí počítat s bezbariérovým přístupem.",
    ),
    services=("Internet Optik 500", "Internet Optik 1000", "Internet VDSL 100",
              "TV balíček Komfort", "Pevná linka Domov"),
)

TEXTS = Texts(
    themes=(
        Theme("billing", "double_billing", "billing", "Internet Optik 500",
              ("Dvojí stržení platby za internet", "Platba za březen stržena dvakrát"),
              ("Z mého účtu byla inkasem stržena měsíční platba {amount} dvakrát během dvou dnů. "
               "Na faktuře je přitom jen jedna položka. Prosím o vrácení přeplatku.",
               "Při kontrole výpisu jsem zjistila, že jste mi za jedno období naúčtovali "
               "internet dvakrát, celkem {amount} navíc. Přikládám výpis z banky."),
              ("refund",), (450, 1290), "vypis_z_uctu.pdf", "Výpis z účtu s oběma platbami"),
        Theme("service_quality", "outage", "technical", "Internet Optik 1000",
              ("Výpadek internetu trvající několik dní", "Opakované výpadky připojení"),
              ("Od pondělí nefunguje internet vůbec, modem hlásí ztrátu signálu. Pracuji z domova "
               "a výpadek mi způsobuje vážné potíže. Žádám o slevu za dny bez služby.",
               "Připojení každý večer na několik hodin vypadává. Na lince mi řekli, že jde o "
               "poruchu v lokalitě, ale trvá to už třetí týden."),
              ("price_reduction", "explanation"), (200, 890), "modem_signal.png",
              "Snímek obrazovky modemu se ztrátou signálu", "png"),
        Theme("service_quality", "slow_speed", "technical", "Internet VDSL 100",
              ("Rychlost připojení neodpovídá smlouvě", "Internet je výrazně pomalejší"),
              ("Podle smlouvy mám mít 100 Mb/s, ale měření opakovaně ukazuje kolem 20 Mb/s, "
               "a to i přes kabel. Požaduji slevu {amount} nebo ukončení smlouvy bez sankce.",
               "Rychlost stahování dlouhodobě nedosahuje ani běžně dostupné rychlosti uvedené "
               "ve smlouvě. Přikládám výsledky měření."),
              ("price_reduction", "contract_termination"), (300, 800), "mereni_rychlosti.png",
              "Výsledky měření rychlosti", "png"),
        Theme("product", "equipment", "technical", "Wi-Fi router",
              ("Router nedorazil", "Dodaný router je vadný"),
              ("K nové smlouvě mi měl přijít router, ale po třech týdnech stále nic. Internet "
               "platím, ale nemohu ho používat.",
               "Router z vaší nabídky se každých pár minut restartuje. Prosím o výměnu za nový kus."),
              ("replacement",), None, "foto_routeru.png", "Fotografie routeru", "png"),
        Theme("billing", "price_increase", "billing", "Internet Optik 500",
              ("Zvýšení ceny bez oznámení", "Faktura vyšší, než je smluvní cena"),
              ("Na poslední faktuře je cena vyšší o {amount}, aniž by mi přišlo jakékoli oznámení "
               "o změně smlouvy. Chci vysvětlení a vrácení rozdílu.",
               "Zvýšili jste mi měsíční paušál bez předchozího upozornění. V takovém případě "
               "chci smlouvu ukončit bez sankce."),
              ("contract_termination", "explanation"), (150, 600), "faktura.pdf", "Poslední faktura"),
        Theme("service_quality", "missed_appointment", "technical", "Instalace přípojky",
              ("Technik nepřišel na domluvený termín", "Zmeškaná instalace"),
              ("Na instalaci jsem si vzal den dovolené, technik ale nepřišel a nikdo se neozval. "
               "Požaduji omluvu a kompenzaci {amount}.",
               "Termín instalace byl potvrzen SMS, ale technik dvakrát nepřišel."),
              ("apology", "compensation"), (300, 500), "potvrzeni_terminu.pdf",
              "Potvrzení termínu instalace"),
        Theme("billing", "termination_fee", "billing", "Internet Optik 1000",
              ("Neoprávněný poplatek za ukončení smlouvy", "Sankce za předčasné ukončení"),
              ("Smlouvu jsem vypověděl kvůli stěhování a dostal jsem vyúčtování poplatku "
               "{amount}. Smlouva přitom byla na dobu neurčitou.",
               "Po ukončení smlouvy mi přišla faktura se sankcí {amount}, o které jsem nevěděla."),
              ("refund",), (1500, 4500), "vyuctovani_ukonceni.pdf", "Vyúčtování po ukončení smlouvy"),
        Theme("billing", "unordered_service", "billing", "TV balíček Komfort",
              ("Účtování TV balíčku, který jsem neobjednal", "Nevyžádaná služba na faktuře"),
              ("Od ledna mi účtujete TV balíček Komfort, který jsem si nikdy neobjednal. "
               "Dosud jsem zaplatil {amount} navíc.",
               "Na faktuře se objevila služba, kterou nevyužívám a nesouhlasil jsem s ní."),
              ("refund", "apology"), (199, 1197), "faktura_tv.pdf", "Faktura s TV balíčkem"),
    ),
    customer_messages=(
        "Dobrý den, chci se zeptat, v jakém stavu je moje reklamace.",
        "Posílám doplňující informace: problém se znovu objevil včera večer.",
        "Už týden se mi nikdo neozval, prosím o odpověď.",
        "Děkuji za informaci, čekám na další postup.",
    ),
    staff_messages=(
        "Dobrý den, vaši reklamaci jsme převzali a prověřujeme ji.",
        "Omlouváme se za potíže. Případ jsme předali technickému oddělení.",
        "Děkujeme za trpělivost, výsledek prověření vám pošleme do konce týdne.",
    ),
    notes={
        "billing": (
            "Ověřeno v billingu: platba skutečně zaúčtována dvakrát.",
            "Ve smlouvě dohledán dodatek o změně ceny, ověřit doručení oznámení.",
            "Zákazník je rozrušený, volat raději odpoledne.",
            "Konzultováno s vedoucím týmu, navržen dobropis.",
        ),
        "technical": (
            "Monitoring sítě potvrzuje výpadek uzlu v lokalitě.",
            "Technik ověřil měření na místě, výsledky v příloze.",
            "Zákazník je rozrušený, volat raději odpoledne.",
            "Konzultováno s vedoucím týmu, navržena sleva.",
        ),
    },
    questions={
        "billing": (
            ("Prosíme o zaslání čísla faktury, které se reklamace týká.",
             "Posílám číslo faktury a výpis z účtu."),
            ("Uveďte prosím data a částky obou plateb z výpisu.",
             "Platby odešly 3. a 5. den v měsíci, výpis přikládám."),
        ),
        "technical": (
            ("Můžete nám poslat výsledky měření rychlosti přes kabel?",
             "Měření přes kabel jsem provedl, výsledky přikládám."),
            ("Prosíme o fotografii štítku na spodní straně routeru.",
             "Fotografii štítku posílám v příloze."),
        ),
    },
    calls_in=(
        "Zákazník volal kvůli stavu reklamace, informován o postupu.",
        "Zákaznice popsala problém, ověřeno číslo smlouvy.",
        "Zákazník žádal nadřízeného, vysvětleno, že případ převezme vedoucí týmu.",
    ),
    calls_out={
        "billing": ("Zpětné volání: vysvětlen postup a termín vyřízení.",
                    "Zákazníkovi oznámen výsledek prověření v billingu."),
        "technical": ("Zpětné volání: vysvětlen postup a termín vyřízení.",
                      "Domluven termín návštěvy technika."),
    },
    own_calls=(
        "Volal jsem na linku, operátor slíbil, že se mi ozvou do dvou dnů.",
        "Na lince mi řekli, že porucha je známá a řeší se.",
    ),
    callback_promise="Zpětné volání se stavem reklamace",
    action_promise="Prověření plateb v billingu",
    escalation_reasons=(
        "Zákazník nesouhlasí s navrženým řešením.",
        "Případ přesahuje pravomoc první linie.",
        "Opakovaná reklamace téhož problému.",
        "Hrozí překročení zákonné lhůty.",
    ),
    missed_callback_reason="Slíbené zpětné volání se neuskutečnilo.",
    supervisor_words=(
        "Chci mluvit s nadřízeným, operátor mi nedokázal pomoci.",
        "Žádám, aby se mou reklamací zabýval vedoucí.",
    ),
    reasoning_upheld=(
        "Prověřením jsme zjistili, že reklamace je oprávněná; omlouváme se za potíže.",
        "Chyba byla na naší straně; reklamaci v plném rozsahu uznáváme.",
    ),
    reasoning_partly={
        "billing": ("Reklamaci uznáváme částečně: vracíme rozdíl, sankci však smlouva umožňuje.",
                    "Přeplatek vracíme, poplatek za upomínku však byl účtován oprávněně."),
        "technical": ("Výpadek jsme potvrdili jen pro část uvedeného období; sleva odpovídá "
                      "potvrzeným dnům.",
                      "Rychlost byla nižší jen ve večerních hodinách; poskytujeme přiměřenou slevu."),
    },
    reasoning_rejected={
        "billing": ("Poplatek odpovídá podmínkám smlouvy, kterou jste podepsal; reklamaci zamítáme.",
                    "Obě platby se týkají různých zúčtovacích období; k dvojímu účtování nedošlo."),
        "technical": ("Měření na straně sítě neprokázalo nedostatek služby; reklamaci nelze uznat.",
                      "Závada vznikla na zařízení zákazníka, nikoli v naší síti."),
    },
    remedy_detail="Dobropis bude připsán na příští vyúčtování.",
    decision_rejections=(
        "S rozhodnutím nesouhlasím, problém trvá dál.",
        "Nabídnutá sleva neodpovídá způsobené škodě.",
    ),
    withdrawals=(
        "Zákazník sdělil, že se problém vyřešil sám.",
        "Reklamaci beru zpět, domluvili jsme se jinak.",
    ),
    reopenings=(
        "Problém se po dvou týdnech vrátil.",
        "Slíbený dobropis na faktuře není.",
    ),
    closing_without_reply="Zákazník na rozhodnutí 14 dní nereagoval.",
    final_response=(
        "Vážený zákazníku, vaši reklamaci jsme znovu posoudili a na svém stanovisku trváme. "
        "Nesouhlasíte-li s vyřízením, můžete podat námitku k orgánu {body}, a to do {deadline}."
    ),
    external_body="Český telekomunikační úřad (ČTÚ)",
    external_reference="ČTÚ-{number}/2026-610",
    external_outcomes=(
        "ČTÚ rozhodl ve prospěch spotřebitele, poskytovatel vrátí sporovanou částku.",
        "Spor skončil smírem: sleva 50 % za jeden měsíc.",
        "ČTÚ námitku zamítl, vyřízení reklamace bylo správné.",
    ),
    merge_reason="Duplicitní podání téže reklamace e-mailem.",
    staff_evidence={
        "billing": (
            StaffEvidence("vypis_plateb.txt", "Výpis plateb ze zákaznického účtu",
                          ("03.09. inkaso 649 Kč – zaúčtováno", "05.09. inkaso 649 Kč – zaúčtováno",
                           "Stav účtu: přeplatek 649 Kč")),
            StaffEvidence("prepis_hovoru.txt", "Přepis hovoru se zákazníkem",
                          ("Operátor: Dobrý den, jak vám mohu pomoci?",
                           "Zákazník: Volám kvůli faktuře, platba mi odešla dvakrát.",
                           "Operátor: Ověřím to v systému a ozveme se vám.")),
        ),
        "technical": (
            StaffEvidence("log_monitoringu.txt", "Výpis z monitoringu sítě",
                          ("Uzel PRG-KAR-07: ztráta spojení 03:12–11:47",
                           "Dotčeno přípojek: 214", "Příčina: přerušený optický kabel")),
            StaffEvidence("protokol_technika.txt", "Protokol z návštěvy technika",
                          ("Měření na přípojce: 94 Mb/s download, 48 Mb/s upload",
                           "Router vyměněn za nový kus", "Zákazník s výsledkem seznámen")),
        ),
    },
)
