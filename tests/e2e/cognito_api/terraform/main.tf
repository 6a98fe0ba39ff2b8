# A Cognito setup as Terraform users write it (hashicorp/aws 5.x), applied to Cognate by test_terraform.py.
variable "endpoint" { type = string }
variable "access_key" { type = string }
variable "secret_key" { type = string }
variable "suffix" { type = string }

terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = var.access_key
  secret_key                  = var.secret_key
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    cognitoidp = var.endpoint
  }
}

resource "aws_cognito_user_pool" "main" {
  name                     = "tf-main-${var.suffix}"
  auto_verified_attributes = ["email"]
  username_attributes      = ["email"]
  mfa_configuration        = "OFF"

  password_policy {
    minimum_length                   = 10
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = false
    temporary_password_validity_days = 3
  }

  schema {
    name                = "tenant"
    attribute_data_type = "String"
    mutable             = true
    string_attribute_constraints {
      min_length = 1
      max_length = 64
    }
  }

  schema {
    name                = "seats"
    attribute_data_type = "Number"
    mutable             = true
    number_attribute_constraints {
      min_value = 0
      max_value = 1000
    }
  }

  schema {
    name                = "email"
    attribute_data_type = "String"
    required            = true
    mutable             = true
    string_attribute_constraints {
      min_length = 0
      max_length = 2048
    }
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  tags = { team = "identity" }
}

resource "aws_cognito_user_pool" "mfa" {
  name              = "tf-mfa-${var.suffix}"
  mfa_configuration = "OPTIONAL"

  software_token_mfa_configuration {
    enabled = true
  }

  # Described as dev:custom:legacy_id, as Cognito names developer-only attributes.
  schema {
    name                     = "legacy_id"
    attribute_data_type      = "String"
    developer_only_attribute = true
    mutable                  = true
    string_attribute_constraints {
      min_length = 0
      max_length = 256
    }
  }

  # Kept and echoed: Cognate mails codes, not links, and sends no SMS.
  verification_message_template {
    default_email_option  = "CONFIRM_WITH_LINK"
    email_message_by_link = "Please {##verify your address##}."
    email_subject_by_link = "Verify your address"
    sms_message           = "Your code is {####}"
  }

  # Kept and echoed (Cognate runs no Lambda trigger yet and says so in a WARNING).
  lambda_config {
    post_confirmation = "arn:aws:lambda:us-east-1:123456789012:function:welcome"
  }
}

resource "aws_cognito_user_pool_domain" "main" {
  domain       = "tf-${var.suffix}"
  user_pool_id = aws_cognito_user_pool.main.id
}

resource "aws_cognito_resource_server" "api" {
  identifier   = "https://api.example.com"
  name         = "api"
  user_pool_id = aws_cognito_user_pool.main.id

  scope {
    scope_name        = "read"
    scope_description = "Read things"
  }
  scope {
    scope_name        = "write"
    scope_description = "Write things"
  }
}

resource "aws_cognito_user_pool_client" "web" {
  name                                 = "web"
  user_pool_id                         = aws_cognito_user_pool.main.id
  generate_secret                      = false
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email", "profile", "https://api.example.com/read"]
  callback_urls                        = ["https://app.example.com/callback"]
  logout_urls                          = ["https://app.example.com/bye"]
  supported_identity_providers         = ["COGNITO"]
  explicit_auth_flows                  = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  access_token_validity                = 30
  id_token_validity                    = 30
  refresh_token_validity               = 7
  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }
  depends_on = [aws_cognito_resource_server.api]
}

resource "aws_cognito_user_pool_client" "backend" {
  name                                 = "backend"
  user_pool_id                         = aws_cognito_user_pool.main.id
  generate_secret                      = true
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["client_credentials"]
  allowed_oauth_scopes                 = ["https://api.example.com/read", "https://api.example.com/write"]
  explicit_auth_flows                  = ["ALLOW_REFRESH_TOKEN_AUTH"]
  depends_on                           = [aws_cognito_resource_server.api]
}

resource "aws_cognito_user_group" "admins" {
  name         = "admins"
  user_pool_id = aws_cognito_user_pool.main.id
  description  = "Administrators"
  precedence   = 1
}

resource "aws_cognito_user" "alice" {
  user_pool_id = aws_cognito_user_pool.main.id
  username     = "alice@example.com"
  attributes = {
    email          = "alice@example.com"
    email_verified = true
    "tenant"       = "acme"
  }
  message_action = "SUPPRESS"
}

resource "aws_cognito_user_in_group" "alice_admin" {
  user_pool_id = aws_cognito_user_pool.main.id
  group_name   = aws_cognito_user_group.admins.name
  username     = aws_cognito_user.alice.username
}

output "main_pool" { value = aws_cognito_user_pool.main.id }
output "mfa_pool" { value = aws_cognito_user_pool.mfa.id }
