"""Brazilian Portuguese: an online and high-street retailer and what its customers complain about."""

from __future__ import annotations

from plaint.demo.specs import People, StaffEvidence, Texts, Theme

PEOPLE = People(
    male_first=("João", "Pedro", "Lucas", "Gabriel", "Rafael", "Felipe", "Gustavo", "Thiago",
                "Bruno", "Carlos", "Marcelo", "Rodrigo", "André", "Eduardo"),
    female_first=("Maria", "Ana", "Juliana", "Fernanda", "Camila", "Beatriz", "Larissa",
                  "Patrícia", "Aline", "Mariana", "Letícia", "Renata", "Vanessa", "Luana"),
    surnames=(("Silva", "Silva"), ("Santos", "Santos"), ("Oliveira", "Oliveira"),
              ("Souza", "Souza"), ("Rodrigues", "Rodrigues"), ("Ferreira", "Ferreira"),
              ("Alves", "Alves"), ("Pereira", "Pereira"), ("Lima", "Lima"), ("Gomes", "Gomes"),
              ("Costa", "Costa"), ("Ribeiro", "Ribeiro"), ("Martins", "Martins"),
              ("Carvalho", "Carvalho"), ("Araújo", "Araújo"), ("Barbosa", "Barbosa")),
    streets=("Rua Augusta", "Avenida Paulista", "Rua da Consolação", "Rua Oscar Freire",
             "Avenida Brigadeiro Faria Lima", "Rua Vergueiro", "Rua Teodoro Sampaio",
             "Avenida Rebouças", "Rua Haddock Lobo", "Rua Cardeal Arcoverde"),
    cities=(("01305-000", "São Paulo – SP"), ("04101-300", "São Paulo – SP"),
            ("13015-002", "Campinas – SP"), ("09015-000", "Santo André – SP"),
            ("20040-002", "Rio de Janeiro – RJ"), ("30130-000", "Belo Horizonte – MG"),
            ("80010-000", "Curitiba – PR"), ("90010-000", "Porto Alegre – RS")),
    positions={
        "agent": "Atendente SAC",
        "team_leader": "Supervisor de atendimento",
        "complaints_officer": "Analista de ouvidoria",
        "manager": "Gerente de relacionamento com o cliente",
        "org_admin": "Administrador do sistema",
    },
    locations=("São Paulo – Vila Olímpia", "Campinas – CD Logístico", "São Paulo – Loja Paulista"),
    phone_format="+55 11 9{a}{b:03d}-{c:04d}",
    mail_domains=("uol.example", "bol.example", "terra.example", "gmail.example"),
    accessibility_needs=(
        "Cliente com deficiência visual: enviar documentos em texto simples.",
        "Cliente surda: atendimento apenas por chat ou e-mail.",
        "Idoso: prefere atendimento presencial na loja.",
    ),
    services=("Cartão da loja", "Garantia estendida", "Clube de vantagens",
              "Seguro de celular", "Assinatura Entrega Grátis"),
)

TEXTS = Texts(
    themes=(
        Theme("delivery", "not_delivered", "technical", "Geladeira Frost Free 400 L",
              ("Produto não entregue", "Pedido pago e não recebido"),
              ("Comprei uma geladeira no site, paguei {amount} à vista e o prazo de entrega "
               "venceu há dez dias. O rastreamento não é atualizado.",
               "O pedido consta como entregue, mas eu não recebi nada. Ninguém esteve no endereço."),
              ("refund", "explanation"), (1800, 4200), "comprovante_pedido.pdf",
              "Comprovante do pedido"),
        Theme("product", "defective", "technical", "Smart TV 55\"",
              ("Produto com defeito", "TV parou de funcionar em um mês"),
              ("A televisão apresentou listras na tela com menos de trinta dias de uso. "
               "Quero a troca por um aparelho novo.",
               "O produto chegou com defeito de fábrica e não liga."),
              ("replacement", "repair"), None, "foto_defeito.png", "Foto do defeito", "png"),
        Theme("billing", "double_charge", "billing", "Cartão da loja",
              ("Cobrança em duplicidade no cartão", "Compra cobrada duas vezes"),
              ("A compra de {amount} aparece duas vezes na fatura do cartão. Peço o estorno "
               "da cobrança em duplicidade.",
               "Fui cobrada duas vezes pelo mesmo pedido, conforme a fatura em anexo."),
              ("refund",), (150, 2600), "fatura_cartao.pdf", "Fatura do cartão com as duas cobranças"),
        Theme("billing", "refund_not_processed", "billing", "Fone de ouvido Bluetooth",
              ("Estorno não realizado após devolução", "Direito de arrependimento não respeitado"),
              ("Devolvi o produto dentro de sete dias, como garante o Código de Defesa do "
               "Consumidor, mas o estorno de {amount} ainda não foi feito.",
               "A loja confirmou o recebimento da devolução há um mês e o dinheiro não voltou."),
              ("refund",), (120, 900), "comprovante_devolucao.pdf", "Comprovante de devolução"),
        Theme("product", "not_as_advertised", "technical", "Notebook 15\"",
              ("Produto diferente do anunciado", "Especificação diferente do site"),
              ("O notebook anunciado tinha 16 GB de memória e o que recebi tem 8 GB. "
               "Quero a troca pelo modelo correto ou a devolução de {amount}.",
               "A cor e o modelo entregues não correspondem ao anúncio."),
              ("replacement", "refund"), (2500, 5200), "anuncio.png", "Captura de tela do anúncio", "png"),
        Theme("billing", "unauthorised_warranty", "billing", "Garantia estendida",
              ("Garantia estendida cobrada sem autorização", "Seguro incluído sem meu pedido"),
              ("Na compra do celular foi incluída uma garantia estendida de {amount} que eu "
               "não solicitei. Peço o cancelamento e o reembolso.",
               "Percebi na nota fiscal um seguro que não contratei."),
              ("refund", "contract_termination"), (190, 480), "nota_fiscal.pdf", "Nota fiscal"),
        Theme("delivery", "late_delivery", "technical", "Sofá retrátil 3 lugares",
              ("Atraso na entrega", "Entrega remarcada três vezes"),
              ("A entrega do sofá foi remarcada três vezes e em todas fiquei em casa esperando. "
               "Peço indenização de {amount} pelos dias perdidos.",
               "O prazo prometido era de cinco dias úteis e já se passaram três semanas."),
              ("compensation", "apology"), (100, 400), "agendamento.pdf", "Agendamentos de entrega"),
        Theme("service_quality", "assembly_not_done", "technical", "Guarda-roupa 6 portas",
              ("Montagem de móveis não realizada", "Montador não compareceu"),
              ("Paguei a montagem junto com o guarda-roupa, mas o montador não apareceu no dia "
               "agendado. Quero a montagem ou o reembolso de {amount}.",
               "A montagem foi feita de forma errada e as portas não fecham."),
              ("repair", "refund"), (150, 350), "foto_montagem.png", "Foto da montagem", "png"),
    ),
    customer_messages=(
        "Olá, gostaria de saber o andamento da minha reclamação.",
        "Envio mais informações: o problema voltou a acontecer ontem.",
        "Há uma semana ninguém me responde, peço retorno.",
        "Obrigado pela informação, aguardo os próximos passos.",
    ),
    staff_messages=(
        "Olá! Sua reclamação foi registrada e está em análise.",
        "Pedimos desculpas pelo transtorno. Encaminhamos o caso à equipe responsável.",
        "Agradecemos a paciência; daremos retorno até o fim da semana.",
    ),
    notes={
        "billing": (
            "Verificado no financeiro: cobrança lançada em duplicidade.",
            "Estorno solicitado à operadora do cartão, prazo de até duas faturas.",
            "Cliente muito irritado, preferir contato por chat.",
            "Alinhado com a supervisão: oferecer vale-compras.",
        ),
        "technical": (
            "Transportadora confirma extravio da carga.",
            "Técnico autorizado confirmou defeito de fábrica, laudo em anexo.",
            "Cliente muito irritado, preferir contato por chat.",
            "Alinhado com a supervisão: oferecer vale-compras.",
        ),
    },
    questions={
        "billing": (
            ("Por favor, envie o número do pedido e a nota fiscal.",
             "Segue o número do pedido e a nota fiscal."),
            ("Pode enviar a fatura do cartão em que aparecem as cobranças?",
             "Envio a fatura do cartão em anexo."),
        ),
        "technical": (
            ("Pode enviar uma foto do produto e da etiqueta da embalagem?",
             "Envio as fotos solicitadas em anexo."),
            ("Informe, por favor, os dias e horários disponíveis para a visita técnica.",
             "Posso receber a visita na terça ou quinta de manhã."),
        ),
    },
    calls_in=(
        "Cliente ligou para saber o andamento, informado sobre o prazo.",
        "Cliente descreveu o problema, confirmado número do pedido.",
        "Cliente pediu para falar com o supervisor, caso será encaminhado.",
    ),
    calls_out={
        "billing": ("Retorno ao cliente: explicado o procedimento e o prazo de resposta.",
                    "Cliente informado sobre o resultado da análise do financeiro."),
        "technical": ("Retorno ao cliente: explicado o procedimento e o prazo de resposta.",
                      "Agendada visita do técnico autorizado."),
    },
    own_calls=(
        "Liguei no SAC e a atendente prometeu retorno em dois dias.",
        "No SAC disseram que a transportadora está resolvendo.",
    ),
    callback_promise="Retorno ao cliente sobre o andamento",
    action_promise="Verificar o estorno com o financeiro",
    escalation_reasons=(
        "Cliente não concorda com a solução proposta.",
        "Caso fora da alçada do primeiro atendimento.",
        "Reclamação recorrente sobre o mesmo pedido.",
        "Prazo do SAC (7 dias corridos) prestes a vencer.",
    ),
    missed_callback_reason="O retorno prometido ao cliente não aconteceu.",
    supervisor_words=(
        "Quero falar com um supervisor, o atendente não resolveu.",
        "Peço que um responsável analise a minha reclamação.",
    ),
    reasoning_upheld=(
        "Após análise, confirmamos que a reclamação procede; pedimos desculpas pelo transtorno.",
        "O erro foi nosso; reconhecemos a reclamação integralmente.",
    ),
    reasoning_partly={
        "billing": ("Confirmamos parte da reclamação; oferecemos o estorno proporcional.",
                    "Estornamos a cobrança duplicada; os juros do cartão não são de nossa responsabilidade."),
        "technical": ("Reconhecemos o atraso e oferecemos um vale-compras; o frete não é reembolsável.",
                      "Faremos a montagem sem custo; a indenização pedida não se justifica."),
    },
    reasoning_rejected={
        "billing": ("A cobrança corresponde ao serviço contratado na compra; reclamação não procede.",
                    "Não identificamos cobrança em duplicidade; o segundo lançamento é outro pedido."),
        "technical": ("O laudo técnico indicou mau uso do produto, não coberto pela garantia.",
                      "O comprovante de entrega foi assinado no endereço cadastrado."),
    },
    remedy_detail="O estorno aparecerá em até duas faturas do cartão.",
    decision_rejections=(
        "Não concordo com a resposta, o problema continua.",
        "O valor oferecido não cobre o prejuízo.",
    ),
    withdrawals=(
        "Cliente informou que o produto foi entregue e o problema está resolvido.",
        "Desisto da reclamação, resolvi diretamente na loja.",
    ),
    reopenings=(
        "O estorno prometido não apareceu na fatura.",
        "O produto trocado apresentou o mesmo defeito.",
    ),
    closing_without_reply="O cliente não respondeu à decisão em 14 dias.",
    final_response=(
        "Prezado cliente, reanalisamos a sua reclamação e mantemos a nossa posição. "
        "Caso não concorde, pode registrar a sua reclamação no {body}."
    ),
    external_body="Procon-SP / consumidor.gov.br",
    external_reference="CGB-2026-{number}",
    external_outcomes=(
        "Acordo no consumidor.gov.br: reembolso integral ao consumidor.",
        "Procon-SP registrou a reclamação como atendida após troca do produto.",
        "Consumidor avaliou a reclamação como não resolvida; orientado ao Juizado Especial.",
    ),
    merge_reason="Mesma reclamação aberta novamente pelo chat.",
    staff_evidence={
        "billing": (
            StaffEvidence("extrato_financeiro.txt", "Extrato do financeiro",
                          ("Pedido 7781234: pagamento aprovado R$ 1.299,90",
                           "Pedido 7781234: pagamento aprovado R$ 1.299,90 (duplicado)",
                           "Estorno solicitado à adquirente")),
            StaffEvidence("registro_chat.txt", "Registro do atendimento por chat",
                          ("Atendente: Olá! Como posso ajudar?",
                           "Cliente: Fui cobrada duas vezes pelo mesmo pedido.",
                           "Atendente: Vou verificar com o financeiro e retorno.")),
        ),
        "technical": (
            StaffEvidence("rastreamento.txt", "Histórico de rastreamento da transportadora",
                          ("Pedido 7781234: saiu para entrega 08:12",
                           "Tentativa de entrega 14:40: destinatário ausente",
                           "Devolvido ao centro de distribuição")),
            StaffEvidence("laudo_tecnico.txt", "Laudo do técnico autorizado",
                          ("Aparelho testado em bancada.", "Defeito: placa principal.",
                           "Conclusão: defeito de fabricação, coberto pela garantia.")),
        ),
    },
)
