"""Free text of the demo world: job titles, job descriptions, degrees and messages.

Titles come in Spanish and English by role family; messages in Spanish and English by the
writer's language; bulk InMail pitches are templates with the recipient's first name.
"""

from __future__ import annotations

__all__ = [
    "BULK_CTAS",
    "BULK_OPENERS",
    "BULK_SUBJECTS",
    "DEGREES",
    "DEPARTMENTS",
    "DEPARTMENT_ROLE",
    "DEPARTMENT_SHARES",
    "DEPARTMENT_TITLES",
    "DESCRIPTION_BULLETS",
    "GROUP_TITLES",
    "MESSAGE_LINES",
    "ROLE_FAMILIES",
    "ROLE_WEIGHTS",
    "SIGN_OFFS",
    "TITLES",
]

ROLE_FAMILIES = (
    "sales", "engineering", "marketing", "finance", "hr", "operations", "executive",
    "procurement", "it", "legal",
)  # fmt: skip
ROLE_WEIGHTS = (0.17, 0.16, 0.1, 0.09, 0.07, 0.14, 0.06, 0.07, 0.1, 0.04)

# Titles by role family: (Spanish, English).
TITLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "sales": (("Director Comercial", "Directora Comercial", "Ejecutivo de Cuentas",
               "Responsable de Ventas", "Key Account Manager", "Gerente de Cuentas",
               "Desarrollo de Negocio", "Comercial, Grandes Cuentas"),
              ("Account Executive", "Sales Manager", "VP Sales, EMEA", "Key Account Manager",
               "Business Development Manager", "Head of Sales", "Sales Director, Iberia")),
    "engineering": (("Ingeniero de Software", "Ingeniera de Software", "Jefe de Proyecto",
                     "Arquitecta de Soluciones", "Ingeniero de Datos", "Responsable de I+D"),
                    ("Software Engineer", "Senior Software Engineer", "Data Engineer",
                     "Engineering Manager", "Solutions Architect", "Staff Engineer")),
    "marketing": (("Responsable de Marketing", "Directora de Marketing", "Community Manager",
                   "Técnico de Marketing Digital", "Responsable de Comunicación"),
                  ("Marketing Manager", "Head of Marketing", "Brand Manager",
                   "Digital Marketing Specialist", "Content Lead, Social Media")),
    "finance": (("Director Financiero", "Controller Financiero", "Responsable de Tesorería",
                 "Analista Financiero", "Auditora Interna"),
                ("CFO", "Financial Controller", "Finance Manager", "Financial Analyst",
                 "Head of Treasury")),
    "hr": (("Directora de Personas", "Responsable de RRHH", "Técnico de Selección",
            "Talent Acquisition"),
           ("HR Business Partner", "Head of People", "Talent Acquisition Lead",
            "HR Manager")),
    "operations": (("Director de Operaciones", "Jefe de Planta", "Responsable de Calidad",
                    "Técnica de Operaciones", "Jefa de Servicio"),
                   ("Operations Manager", "COO", "Plant Manager", "Quality Manager",
                    "Customer Operations Lead")),
    "executive": (("Consejero Delegado", "Directora General", "Director General",
                   "Presidente", "Socio Director"),
                  ("CEO", "Managing Director", "Founder & CEO", "General Manager, Spain",
                   "Managing Partner")),
    "procurement": (("Responsable de Compras", "Director de Compras", "Técnico de Compras",
                     "Jefa de Aprovisionamiento"),
                    ("Procurement Manager", "Head of Procurement", "Category Manager, IT",
                     "Purchasing Lead")),
    "it": (("Director de Sistemas", "CIO", "Responsable de Ciberseguridad",
            "Administrador de Sistemas", "Jefa de Transformación Digital"),
           ("CIO", "IT Manager", "Head of Digital Channels", "CISO", "IT Director")),
    "legal": (("Asesora Jurídica", "Director de Asesoría Jurídica", "Abogado",
               "Responsable de Cumplimiento Normativo"),
              ("General Counsel", "Legal Counsel", "Compliance Officer", "DPO")),
}  # fmt: skip

DEPARTMENTS = ("sales", "engineering", "marketing", "support", "executives")
DEPARTMENT_SHARES = (0.25, 0.35, 0.12, 0.20, 0.08)
DEPARTMENT_ROLE = {
    "sales": "sales",
    "engineering": "engineering",
    "marketing": "marketing",
    "support": "operations",
    "executives": "executive",
}
DEPARTMENT_TITLES: dict[str, tuple[str, ...]] = {
    "sales": ("Account Executive", "Key Account Manager", "Sales Director",
              "Business Development Representative", "Ejecutiva de Cuentas",
              "Responsable de Grandes Cuentas"),
    "engineering": ("Software Engineer", "Senior Software Engineer", "Ingeniera de Software",
                    "Data Engineer", "Engineering Manager", "Staff Engineer",
                    "DevOps Engineer", "Ingeniero de Datos"),
    "marketing": ("Marketing Manager", "Community Manager", "Content Marketing Specialist",
                  "Product Marketing Manager", "Responsable de Marketing Digital"),
    "support": ("Customer Support Specialist", "Customer Success Manager",
                "Técnico de Soporte", "Support Team Lead", "Técnica de Implantación"),
    "executives": ("CEO", "CTO", "CFO", "COO", "Chief Marketing Officer", "VP Sales",
                   "Directora General", "VP Engineering"),
}  # fmt: skip

DESCRIPTION_BULLETS = (
    "Gestión de cuentas estratégicas", "Coordinación de equipos", "Proyectos de CRM",
    "Migración a la nube", "Lanzamiento de nuevos productos", "Negociación con proveedores",
    "Key accounts in Spain and Portugal", "Led a team of 8", "Pricing and forecasting",
    "Data platform on Kubernetes", "Customer onboarding", "Reporting to the board",
)  # fmt: skip

DEGREES = (
    "Grado en Administración de Empresas", "Ingeniería Informática",
    "Ingeniería de Telecomunicación", "Grado en Derecho", "Grado en Economía",
    "Master in Management", "MBA", "Grado en Marketing", "Máster en Big Data",
    "Licenciatura en Periodismo", "BSc Computer Science", "Grado en Matemáticas",
)  # fmt: skip

# 1:1 message lines by language: (openers, answers). "{first}" is the recipient.
MESSAGE_LINES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "es": (("Hola {first}, ¿tienes 15 minutos el jueves?",
            "Hola {first}, ¿cómo va todo? Te escribo por lo del proyecto.",
            "{first}, te paso el documento que comentamos.",
            "Buenas {first}, ¿nos vemos en el evento de la semana que viene?",
            "Hola {first}, enhorabuena por el nuevo puesto.",
            "Hola {first}, ¿podrías presentarme a alguien de compras en tu empresa?"),
           ("¡Claro! Te mando invitación.", "Gracias, lo reviso y te digo.",
            "Perfecto, hablamos el lunes.", "¡Muchas gracias!", "Me viene bien, ¿a las 10?",
            "Sí, cuenta conmigo.")),
    "en": (("Hi {first}, do you have 15 minutes on Thursday?",
            "Hi {first}, great to connect. How are things going?",
            "{first}, sharing the deck we discussed.",
            "Hello {first}, congratulations on the new role!",
            "Hi {first}, could you introduce me to your procurement team?"),
           ("Sure, I'll send an invite.", "Thanks, I'll take a look.", "Sounds good!",
            "Many thanks!", "Works for me, 10am?")),
}  # fmt: skip
SIGN_OFFS = {"es": ("Un saludo,", "Abrazo,", "Gracias,"), "en": ("Best,", "Cheers,")}
GROUP_TITLES = ("{org} x Tejido", "Proyecto {org}", "Kick-off {org}", "")

BULK_SUBJECTS = (
    "Triple your leads in 30 days", "¿Hablamos 10 minutos?", "Quick question, {first}",
    "Partnership opportunity", "Reduce tus costes cloud un 40%", "Your 2027 sales plan",
    "Oferta exclusiva para Tejido Demo", "Free audit of your LinkedIn presence",
)  # fmt: skip
BULK_OPENERS = (
    "Hi {first}, I help companies like Tejido Demo",
    "Hola {first}, ayudamos a empresas como Tejido Demo",
    "Hi {first}, I noticed Tejido Demo is growing fast and we help teams like yours",
    "Hola {first}, he visto que Tejido Demo está creciendo y ayudamos a equipos como el tuyo",
    "{first}, quick one: we help software companies",
    "Dear {first}, our platform helps firms like Tejido Demo",
)  # fmt: skip
BULK_CTAS = (
    "triple their qualified leads in 30 days. Can I send you a 2-minute video?",
    "a reducir sus costes de nube hasta un 40%. ¿Te va bien una llamada esta semana?",
    "hire senior engineers in 2 weeks. Book here: https://example.com/book",
    "a automatizar la prospección en LinkedIn. ¿Agendamos 15 minutos?",
    "cut churn by 25% with AI-driven success plans. Worth a chat?",
    "a mejorar su posicionamiento SEO. Te dejo mi calendario: https://example.com/cal",
)  # fmt: skip
